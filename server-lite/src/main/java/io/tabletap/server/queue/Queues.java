package io.tabletap.server.queue;

import io.tabletap.server.domain.DomainEvent;
import io.tabletap.server.domain.TimeOrderedIds;
import io.tabletap.server.event.EventBus;
import io.tabletap.server.store.Database;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
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
  /** The fast way in for adds outside a transaction (decision 0021); null: every add commits first. */
  private final AddJournal journal;
  /**
   * The job id of every key ({@code queue + "\n" + jobId}) being added now and not yet in H2: a
   * journaled add until a batch wrote it, or one on its way through the group commit. Keys are
   * claimed here before H2 is asked, and let go only after the job committed, so two adds of one
   * key never both find it absent.
   */
  private final Map<String, UUID> addingKeys = new ConcurrentHashMap<>();
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
    this(db, events, clock, configs, random, null);
  }

  /**
   * As above, with a journal of adds in {@code journalDir} (null: none). The jobs that an earlier
   * run journaled but never wrote into H2 are queued again now, before any new add.
   */
  public Queues(Database db, EventBus events, Clock clock, List<QueueConfig> configs, DoubleSupplier random, Path journalDir) {
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
    this.journal = journalDir == null ? null : AddJournal.open(journalDir);
    if (journal != null) {
      requeueJournaled(journal.unapplied());
    }
  }

  /** The default queues of {@link DefaultQueues}. */
  public static Queues withDefaults(Database db, EventBus events, Clock clock) {
    return new Queues(db, events, clock, DefaultQueues.all());
  }

  /** The default queues, with the journal of adds in {@code journalDir} (decision 0021). */
  public static Queues withDefaults(Database db, EventBus events, Clock clock, Path journalDir) {
    return new Queues(db, events, clock, DefaultQueues.all(), () -> ThreadLocalRandom.current().nextDouble(), journalDir);
  }

  /** Journaled adds of an earlier run: those H2 has are done; the others go back to their lanes. */
  private void requeueJournaled(List<AddJournal.Entry> entries) {
    List<AddJournal.Entry> inH2 = new ArrayList<>();
    List<AddJournal.Entry> waiting = new ArrayList<>();
    // every journaled job has a remembered key: H2 knows it if the job was ever written, with or without a row
    db.read(c -> {
      for (AddJournal.Entry entry : entries) {
        boolean done = !queues.containsKey(entry.spec().queue()) || writer.existing(c, entry.spec()).isPresent();
        (done ? inH2 : waiting).add(entry);
      }
      return null;
    });
    for (AddJournal.Entry entry : waiting) {
      entry.spec().jobId().ifPresent(k -> addingKeys.put(key(entry.spec().queue(), k), entry.id()));
      queues.get(entry.spec().queue()).runner().enqueue(entry);
    }
    journal.applied(inH2);
    if (entries.size() > inH2.size()) {
      log.info("Queued again {} job(s) journaled before the last stop", entries.size() - inH2.size());
    }
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

  /**
   * {@code spec} added outside a transaction: through the journal when its queue's workers run it
   * in batches (decision 0021), otherwise in a group commit. Empty if the queues are closing (add
   * it on your own).
   */
  Optional<JobWriter.Added> addGrouped(JobSpec spec) {
    String key = spec.jobId().map(k -> key(spec.queue(), k)).orElse(null);
    UUID id = TimeOrderedIds.next(clock.instant());
    if (key != null) {
      UUID first = addingKeys.putIfAbsent(key, id);
      if (first != null) {
        return Optional.of(new JobWriter.Added(first, false, null)); // being added right now
      }
    }
    boolean journaled = false;
    try {
      if (key != null) {
        Optional<JobWriter.Added> existing = db.read(c -> writer.existing(c, spec));
        if (existing.isPresent()) {
          return existing;
        }
      }
      Queue queue = queues.get(spec.queue());
      WorkerPool pool = queue == null ? null : queue.pool();
      if (journal != null && pool != null && started && !closed && AddJournal.carries(spec)
          && queue.runner().batches(spec.name()) && queue.runner().laneSize() < MAX_LANE) {
        Instant now = clock.instant();
        Job job = writer.waiting(spec, id, now);
        queue.runner().enqueue(journal.append(id, now, spec));
        journaled = true; // the key stays claimed until a batch wrote the job
        events.publish(JobEvent.of(JobEvent.ADDED, job, null, now));
        // only the workers: the job is WAITING, so no DELAYED one became due (queue.wake() would
        // make the next batch look for due jobs, a query per batch for nothing)
        pool.wake();
        return Optional.of(new JobWriter.Added(id, true, job));
      }
      return Optional.ofNullable(groupCommit.add(spec));
    } finally {
      if (key != null && !journaled) {
        addingKeys.remove(key, id);
      }
    }
  }

  /** Most journaled adds a queue holds in memory; past it, adds commit to H2 before they are answered. */
  static final int MAX_LANE = 50_000;

  private static String key(String queue, String jobId) {
    return queue + "\n" + jobId;
  }

  /**
   * Writes journaled adds into H2 in the caller's transaction (a worker's batch). The insert looks
   * for the key again although the add did: a job written inside a caller's transaction
   * ({@link #writer()}) does not go through {@link #addingKeys}, and a replayed record may be one
   * H2 already has; then it adds nothing.
   */
  void writeJournaled(Connection c, List<AddJournal.Entry> entries) throws SQLException {
    for (AddJournal.Entry entry : entries) {
      writer.insertJournaled(c, entry.spec(), entry.id(), entry.addedAt());
    }
  }

  /** After the transaction that wrote {@code entries} committed and was stored: their records and keys are let go. */
  void journaledApplied(List<AddJournal.Entry> entries) {
    journaledCommitted(entries);
    journaledStored(entries);
  }

  /** The transaction that wrote {@code entries} committed: H2 answers for their keys from now on. */
  void journaledCommitted(List<AddJournal.Entry> entries) {
    for (AddJournal.Entry entry : entries) {
      entry.spec().jobId().ifPresent(k -> addingKeys.remove(key(entry.spec().queue(), k), entry.id()));
    }
  }

  /**
   * The transaction that wrote {@code entries} is on file: their records are no longer needed.
   * Not before: until then, a crash would take the commit back, and the records bring the jobs
   * back (decision 0032).
   */
  void journaledStored(List<AddJournal.Entry> entries) {
    if (!entries.isEmpty()) {
      journal.applied(entries);
    }
  }

  /** Writes every journaled add still in a lane into H2 (at close, or for a queue that does not batch). */
  private void flushLane(Queue queue) {
    List<AddJournal.Entry> entries = queue.runner().drainLane();
    if (entries.isEmpty()) {
      return;
    }
    try {
      db.inTransaction(c -> {
        writeJournaled(c, entries);
        return null;
      });
      journaledApplied(entries);
      queue.wake();
    } catch (RuntimeException e) {
      log.warn("Could not write {} journaled job(s) of {} into the database; they run after the restart", entries.size(),
          queue.name(), e);
    }
  }

  /** How many journaled adds of {@code queue} wait in memory for their first batch (cafe null: all). */
  long journaledWaiting(String queue, String cafeId) {
    Queue q = queues.get(queue);
    if (q == null) {
      return 0;
    }
    return q.runner().laneSnapshot().stream()
        .filter(e -> cafeId == null || e.spec().cafeId().map(cafeId::equals).orElse(true)).count();
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
      if (queue.pool() == null || !queue.runner().isBatching()) {
        flushLane(queue); // journaled in an earlier run, for a queue that no longer runs batches
      }
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
      flushLane(queue);
    }
    if (journal != null) {
      db.storeNow(); // the batches that wait for a store let go of their records now
      journal.close();
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
