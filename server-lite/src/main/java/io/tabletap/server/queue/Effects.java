package io.tabletap.server.queue;

import io.tabletap.server.domain.DomainEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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
  /** Each set to sweep, with how many of its jobs finished in the transaction. */
  final Map<Sweep, Integer> sweeps = new LinkedHashMap<>();

  void event(DomainEvent event) {
    events.add(event);
  }

  void wake(String queue) {
    wakes.add(queue);
  }

  void sweep(String queue, JobStatus status, Retention retention) {
    if (!retention.keepsAll()) {
      sweeps.merge(new Sweep(queue, status, retention), 1, Integer::sum);
    }
  }
}
