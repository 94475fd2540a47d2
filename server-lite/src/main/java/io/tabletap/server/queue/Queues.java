package io.tabletap.server.queue;

import io.tabletap.server.domain.DomainEvent;
import io.tabletap.server.event.EventBus;
import io.tabletap.server.store.Database;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable job queue on H2: a fixed set of named {@link Queue}s over one {@code jobs} table,
 * their {@link JobWriter}, {@link Flows} and {@link QueueAdmin}. One per server; thread-safe.
 *
 * <p>Life cycle: construct, register handlers ({@code queue(name).handle(jobName, handler)}),
 * {@link #start()} (worker threads for every queue with handlers; the stalled checks and lease
 * renewals on a timer thread), {@link #close(Duration)} (stop claiming, let running jobs finish
 * within the grace period, give the rest back as WAITING). Close it before the database.
 *
 * <p>Events ({@link JobEvent}, {@link FlowEvent}) are published on the bus after their change is
 * committed, on the thread that made it (a worker thread, or the caller's).
 */
public final class Queues implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Queues.class);

  private final Database db;
  private final EventBus events;
  private final Clock clock;
  private final Outcomes outcomes;
  private final Sweeper sweeper;
  private final GroupCommit groupCommit;
  private final JobWriter writer;
  private final Map<String, Queue> queues = new LinkedHashMap<>();
  private final Flows flows;
  private final QueueAdmin admin;
  private ScheduledExecutorService timer;
  private volatile boolean started;
  private volatile boolean closed;

  /** Queues with {@code configs}, jitter drawn from {@link ThreadLocalRandom}. */
  public Queues(Database db, EventBus events, Clock clock, List<QueueConfig> configs) {
    this(db, events, clock, configs, () -> ThreadLocalRandom.current().nextDouble());
  }

  /** As above, with the uniform [0, 1) source for backoff jitter (tests script it). */
  public Queues(Database db, EventBus events, Clock clock, List<QueueConfig> configs, DoubleSupplier random) {
    this.db = db;
    this.events = events;
    this.clock = clock;
    this.outcomes = new Outcomes(clock, random);
    this.sweeper = new Sweeper(db, clock);
    Map<String, QueueConfig> byName = new LinkedHashMap<>();
    for (QueueConfig config : configs) {
      if (byName.putIfAbsent(config.name(), config) != null) {
        throw new IllegalArgumentException("Two queues named " + config.name());
      }
    }
    this.writer = new JobWriter(byName, clock);
    this.groupCommit = new GroupCommit(db, writer, this::afterCommit);
    byName.values().forEach(config -> queues.put(config.name(), new Queue(config, this)));
    this.flows = new Flows(this);
    this.admin = new QueueAdmin(this);
  }

  /** The default queues of {@link DefaultQueues}. */
  public static Queues withDefaults(Database db, EventBus events, Clock clock) {
    return new Queues(db, events, clock, DefaultQueues.all());
  }

  /** @throws IllegalArgumentException for a name that is not configured */
  public Queue queue(String name) {
    Queue queue = queues.get(name);
    if (queue == null) {
      throw new IllegalArgumentException("No queue '" + name + "'; known: " + queues.keySet());
    }
    return queue;
  }

  public Collection<Queue> all() {
    return queues.values();
  }

  /** Adds jobs inside the caller's transaction; follow the commit with {@link #afterCommit}. */
  public JobWriter writer() {
    return writer;
  }

  public Flows flows() {
    return flows;
  }

  public QueueAdmin admin() {
    return admin;
  }

  /**
   * After the caller's transaction that wrote {@code added} committed: publishes
   * {@code job.added} for the new ones and wakes their queues. Never call it before the commit
   * (or after a rollback): listeners would hear of jobs that do not exist.
   */
  public void afterCommit(Collection<JobWriter.Added> added) {
    Effects fx = new Effects();
    for (JobWriter.Added a : added) {
      if (a.created()) {
        fx.event(JobEvent.of(JobEvent.ADDED, a.job(), null, clock.instant()));
      }
      fx.wake(a.job().queue());
    }
    apply(fx);
  }

  /** {@code spec} added in a group commit; empty if the queues are closing (add it on your own). */
  Optional<JobWriter.Added> addGrouped(JobSpec spec) {
    return Optional.ofNullable(groupCommit.add(spec));
  }

  public void afterCommit(JobWriter.Added added) {
    afterCommit(List.of(added));
  }

  /**
   * Starts the worker threads of every queue that has handlers, and the timer that runs each
   * queue's stalled check every {@code stalledInterval} and renews running jobs' leases every
   * third of their {@code lease}.
   */
  public synchronized void start() {
    if (started || closed) {
      throw new IllegalStateException(closed ? "The queues are closed" : "The queues are started already");
    }
    started = true;
    timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "queue-timer");
      thread.setDaemon(true);
      return thread;
    });
    for (Queue queue : queues.values()) {
      JobRunner runner = queue.runner();
      long stalled = queue.config().stalledInterval().toMillis();
      long renew = Math.max(1, queue.config().lease().toMillis() / 3);
      timer.scheduleWithFixedDelay(guarded(queue, "stalled check", runner::checkStalled), stalled, stalled,
          TimeUnit.MILLISECONDS);
      timer.scheduleWithFixedDelay(guarded(queue, "lease renewal", runner::renewLeases), renew, renew,
          TimeUnit.MILLISECONDS);
      queue.start();
    }
    log.info("Job queues started: {}", queues.keySet());
  }

  private static Runnable guarded(Queue queue, String what, Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        log.warn("The {} of {} failed; it runs again on schedule", what, queue.name(), e);
      }
    };
  }

  boolean isStarted() {
    return started;
  }

  /** True once {@link #close} began: no more claims. */
  public boolean isStopping() {
    return closed;
  }

  /** {@link #close(Duration)} with 10 seconds' grace. */
  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }

  /**
   * Stops claiming, lets the running jobs finish for up to {@code grace}, then gives those still
   * running back to their queues (WAITING, lease cleared, no attempt counted; their outcome, if
   * they end later, is dropped) and interrupts their threads. Idempotent.
   */
  public void close(Duration grace) {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    groupCommit.close(); // answers the adds it has taken
    long deadline = System.nanoTime() + grace.toNanos();
    for (Queue queue : queues.values()) {
      queue.runner().stopClaiming();
      WorkerPool pool = queue.pool();
      if (pool != null) {
        pool.beginStop();
      }
    }
    boolean allDone = true;
    for (Queue queue : queues.values()) {
      WorkerPool pool = queue.pool();
      allDone &= pool == null || pool.awaitThreads(deadline);
    }
    int released = 0;
    for (Queue queue : queues.values()) {
      released += queue.runner().releaseRunning();
    }
    if (!allDone || released > 0) {
      log.warn("Stopped the job queues with {} job(s) still running after {} ms; released them", released,
          grace.toMillis());
    }
    if (timer != null) {
      timer.shutdownNow();
    }
  }

  /** Publishes what a committed transaction asked for, wakes queues, runs retention. */
  void apply(Effects fx) {
    for (DomainEvent event : fx.events) {
      events.publish(event);
    }
    for (String name : fx.wakes) {
      Queue queue = queues.get(name);
      if (queue != null) {
        queue.wake();
      }
    }
    for (Map.Entry<Effects.Sweep, Integer> sweep : fx.sweeps.entrySet()) {
      try {
        sweeper.sweep(sweep.getKey(), sweep.getValue());
      } catch (RuntimeException e) {
        log.warn("Retention of {} {} jobs failed; the next finish tries again", sweep.getKey().queue(), sweep.getKey().status(), e);
      }
    }
  }

  Database db() {
    return db;
  }

  EventBus events() {
    return events;
  }

  Clock clock() {
    return clock;
  }

  Outcomes outcomes() {
    return outcomes;
  }
}
