package io.tabletap.server.queue;

import io.tabletap.server.domain.DomainEvent;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a transaction on jobs asks to happen once it has committed: events to publish, queues to
 * wake, retention sweeps to run. Collected inside the transaction, applied after the commit by
 * {@link Queues#apply}, so nobody hears of a change that was rolled back. Not thread-safe: one per
 * transaction.
 */
final class Effects {
  record Sweep(String queue, JobStatus status, Retention retention) {}

  final List<DomainEvent> events = new ArrayList<>();
  final Set<String> wakes = new LinkedHashSet<>();
  final Set<Sweep> sweeps = new LinkedHashSet<>();

  void event(DomainEvent event) {
    events.add(event);
  }

  void wake(String queue) {
    wakes.add(queue);
  }

  void sweep(String queue, JobStatus status, Retention retention) {
    if (!retention.keepsAll()) {
      sweeps.add(new Sweep(queue, status, retention));
    }
  }
}
