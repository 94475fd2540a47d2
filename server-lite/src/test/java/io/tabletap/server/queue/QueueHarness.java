package io.tabletap.server.queue;

import io.tabletap.server.domain.DomainEvent;
import io.tabletap.server.event.SynchronousEventBus;
import io.tabletap.server.store.Database;
import io.tabletap.server.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.DoubleSupplier;

/**
 * Queues over a real H2 file, a clock the test moves, and every event recorded. One per test;
 * close it at the end.
 */
final class QueueHarness implements AutoCloseable {
  static final Instant START = Instant.parse("2026-11-26T01:00:00Z");

  final Database db;
  final MutableClock clock = new MutableClock(START);
  final SynchronousEventBus bus = new SynchronousEventBus();
  final Collection<DomainEvent> events = new ConcurrentLinkedQueue<>(); // cheap to add to from many workers
  final Queues queues;

  QueueHarness(Path dir, List<QueueConfig> configs) {
    this(dir, configs, () -> 0.5);
  }

  QueueHarness(Path dir, List<QueueConfig> configs, DoubleSupplier random) {
    this(dir, configs, random, null);
  }

  /** With the journal of adds in {@code journalDir} (decision 0021). */
  QueueHarness(Path dir, List<QueueConfig> configs, Path journalDir) {
    this(dir, configs, () -> 0.5, journalDir);
  }

  private QueueHarness(Path dir, List<QueueConfig> configs, DoubleSupplier random, Path journalDir) {
    this.db = Database.open(dir, 16);
    bus.subscribe(DomainEvent.class, events::add);
    this.queues = new Queues(db, bus, clock, configs, random, journalDir);
  }

  /** A queue named {@code name} with BullMQ's defaults (one attempt, keep all) and {@code tweak}s. */
  static QueueConfig plain(String name) {
    return QueueConfig.builder(name).build();
  }

  Queue queue(String name) {
    return queues.queue(name);
  }

  Job job(UUID id) {
    return db.read(c -> JobTable.find(c, id)).orElseThrow(() -> new AssertionError("no job " + id));
  }

  boolean exists(UUID id) {
    return db.read(c -> JobTable.find(c, id)).isPresent();
  }

  void advance(Duration d) {
    clock.advance(d);
  }

  /** The names of the recorded events, in order, e.g. {@code job.added}. */
  List<String> eventNames() {
    List<String> names = new ArrayList<>();
    events.forEach(e -> names.add(e.name()));
    return names;
  }

  /** The recorded events about job {@code id}, in order: "job.active", "flow.step_completed", … */
  List<String> eventNamesFor(UUID id) {
    List<String> names = new ArrayList<>();
    for (DomainEvent e : events) {
      if (e instanceof JobEvent j && j.jobId().equals(id) || e instanceof FlowEvent f && id.equals(f.jobId())) {
        names.add(e.name());
      }
    }
    return names;
  }

  <E extends DomainEvent> List<E> eventsOf(Class<E> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }

  @Override
  public void close() {
    queues.close(Duration.ofSeconds(5));
    db.close();
  }
}
