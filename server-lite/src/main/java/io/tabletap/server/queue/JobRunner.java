package io.tabletap.server.queue;

import io.tabletap.server.store.Database;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims and runs the jobs of one queue, on whatever thread calls it: a worker thread of the
 * threaded mode, or a test's with {@link Queue#runOnce()}. Thread-safe.
 *
 * <p>The claim reads the best few WAITING candidates without locks and moves one to ACTIVE with
 * {@code UPDATE … WHERE id = ? AND version = ?}: one row changed means this worker won it. (H2's
 * {@code FOR UPDATE SKIP LOCKED} applies LIMIT before skipping, so a second claimer finds nothing
 * while the first holds the top row; see docs/queue.md.)
 */
final class JobRunner {
  private static final Logger log = LoggerFactory.getLogger(JobRunner.class);
  private static final int CANDIDATES = 4;
  /** Most jobs one transaction of a batching queue runs (see {@link #runBatches}). */
  static final int BATCH = 32;

  private final QueueConfig config;
  private final Queues owner;
  private final Database db;
  private final Clock clock;
  private final Map<String, JobHandler> handlers = new ConcurrentHashMap<>();
  private volatile String[] names = new String[0];
  /** Every handler is {@link JobHandler#atomic()}: the workers run jobs in batches. */
  private volatile boolean batching;
  private final Map<UUID, RunningJob> running = new ConcurrentHashMap<>();
  /** When a DELAYED job may next be due: MIN = look now, MAX = none known. */
  private final AtomicReference<Instant> promoteAt = new AtomicReference<>(Instant.MIN);
  private final AtomicBoolean promoting = new AtomicBoolean();
  private volatile boolean stopping;
  /**
   * Journaled adds not yet in H2 (decision 0021), best first: the next batch writes them into the
   * jobs table in its own transaction, then claims as usual.
   */
  private final PriorityBlockingQueue<AddJournal.Entry> lane = new PriorityBlockingQueue<>(64,
      Comparator.comparingInt((AddJournal.Entry e) -> e.spec().priority().orElse(0))
          .thenComparingLong(AddJournal.Entry::sequence));

  JobRunner(QueueConfig config, Queues owner) {
    this.config = config;
    this.owner = owner;
    this.db = owner.db();
    this.clock = owner.clock();
  }

  void handle(String jobName, JobHandler handler) {
    if (handlers.putIfAbsent(jobName, handler) != null) {
      throw new IllegalStateException("Queue " + config.name() + " already has a handler for '" + jobName + "'");
    }
    String[] sorted = handlers.keySet().toArray(String[]::new);
    Arrays.sort(sorted);
    names = sorted;
    batching = handlers.values().stream().allMatch(JobHandler::atomic);
  }

  boolean isBatching() {
    return batching;
  }

  boolean hasHandlers() {
    return names.length > 0;
  }

  /**
   * Claims the next job this queue has a handler for and runs it here, then keeps going while
   * there is work: each outcome's transaction also claims the next job, so a busy worker commits
   * once per job. False if there was nothing to run.
   */
  boolean runNext(int slot) {
    if (batching) {
      return runBatches(slot);
    }
    Optional<Job> next = claim(slot);
    if (next.isEmpty()) {
      return false;
    }
    while (next.isPresent()) {
      next = run(next.get(), slot, true).next();
    }
    return true;
  }

  /**
   * The worker loop of a queue whose handlers are all atomic: one transaction claims up to {@link
   * #BATCH} waiting jobs, runs them, each in a savepoint of its own, and records their outcomes;
   * then the next. A webhook costs a share of one commit instead of commits of its own (commits
   * were 40% of a worker's time, profiled; docs/performance.md). A batch is whatever is waiting
   * when it is claimed, so a lone job runs at once, alone, in one commit: its claim is never
   * committed on its own (a crash leaves it WAITING, as if it had not been claimed).
   *
   * <p>A job that fails, or whose claim was taken back, is undone alone: its savepoint is rolled
   * back (with the audit rows and room events it collected) and its failure is recorded in the
   * same transaction; the others commit.
   */
  private boolean runBatches(int slot) {
    boolean ran = false;
    while (!stopping && names.length > 0 && runBatch(slot)) {
      ran = true;
    }
    return ran;
  }

  private List<Job> claimBatch(Connection c, String[] wanted, int slot) throws SQLException {
    List<Job> batch = new ArrayList<>();
    while (batch.size() < BATCH && !stopping) {
      Optional<Job> claimed = claimIn(c, wanted, slot);
      if (claimed.isEmpty()) {
        break;
      }
      batch.add(claimed.get());
    }
    return batch;
  }

  /**
   * Takes the journaled adds waiting in the lane, claims a batch of stored jobs, and runs them all
   * in one transaction; false if there was nothing to run. An add whose queue keeps no completed job
   * runs without ever having a row (decision 0024); the others are written into the jobs table first
   * and claimed with the rest. Should the transaction fail, the adds go back to the lane (they are
   * still in the journal).
   */
  private boolean runBatch(int slot) {
    String[] wanted = names;
    List<RunningJob> runs = new ArrayList<>();
    Effects fx = new Effects();
    List<String> failures = new ArrayList<>();
    promoteDue(false);
    // taken from the lane only now: from here on, every way out either commits them or puts them back
    List<AddJournal.Entry> fresh = new ArrayList<>();
    lane.drainTo(fresh, BATCH);
    boolean committed = false;
    try {
      boolean ran = db.inTransaction(c -> {
        for (Job started : startJournaled(c, fresh)) {
          runs.add(new RunningJob(started, Thread.currentThread(), db, owner.events(), clock, true, true));
        }
        for (Job job : claimBatch(c, wanted, slot)) {
          runs.add(new RunningJob(job, Thread.currentThread(), db, owner.events(), clock, true, false));
        }
        for (RunningJob run : runs) {
          running.put(run.job.id(), run);
        }
        for (RunningJob run : runs) {
          runInBatch(c, run, fx, failures);
        }
        if (journalHoldsAll(fresh, runs)) {
          db.storeLater(() -> owner.journaledStored(fresh));
        }
        return !runs.isEmpty();
      });
      committed = true;
      owner.journaledCommitted(fresh);
      if (!journalHoldsAll(fresh, runs)) {
        owner.journaledStored(fresh); // stored with the commit
      }
      failures.forEach(log::warn);
      owner.apply(fx);
      return ran || !fresh.isEmpty();
    } finally {
      if (!committed) {
        lane.addAll(fresh);
      }
      for (RunningJob run : runs) {
        running.remove(run.job.id());
      }
    }
  }

  /**
   * Whether every job of the batch is in the journal until its records are let go: then its
   * commit can wait for the next store, which lets go of them (decision 0032).
   */
  private static boolean journalHoldsAll(List<AddJournal.Entry> fresh, List<RunningJob> runs) {
    return !fresh.isEmpty() && runs.stream().allMatch(r -> r.unstored);
  }

  /**
   * Writes the journaled adds of a batch: those that can run without a row come back started; the
   * others (and all of them once the queue is stopping) become WAITING rows.
   */
  private List<Job> startJournaled(Connection c, List<AddJournal.Entry> fresh) throws SQLException {
    List<Job> started = new ArrayList<>();
    List<AddJournal.Entry> stored = new ArrayList<>();
    Instant now = clock.instant();
    for (AddJournal.Entry entry : fresh) {
      if (!stopping && handlers.containsKey(entry.spec().name()) && owner.writer().runsUnstored(entry.spec())) {
        owner.writer().startUnstored(c, entry.spec(), entry.id(), entry.addedAt(), now).ifPresent(started::add);
      } else {
        stored.add(entry);
      }
    }
    owner.writeJournaled(c, stored);
    return started;
  }

  /**
   * Runs one job of a batch in a savepoint of its own and records its outcome in the batch's
   * transaction. A job started without a row gets one only if it does not simply complete.
   */
  private void runInBatch(Connection c, RunningJob run, Effects fx, List<String> failures) throws SQLException {
    Job job = run.job;
    if (stopping) {
      if (run.unstored) {
        owner.writer().storeUnstored(c, job);
      } else {
        owner.outcomes().release(c, job);
      }
      return;
    }
    owner.events().publish(JobEvent.of(JobEvent.ACTIVE, job, null, clock.instant()));
    try {
      db.inTransaction(inner -> {
        process(handlers.get(job.name()), job, run);
        if (run.isCancelled() || !run.unstored && owner.outcomes().complete(inner, job, fx).isEmpty()) {
          run.lose();
          throw new LeaseLostException(job.id()); // undoes its work: the job is someone else's
        }
        if (run.unstored) {
          owner.outcomes().completedUnstored(job, fx);
        }
        return null;
      });
    } catch (LeaseLostException lost) {
      if (run.unstored) { // released at shutdown: it waits for the next start
        owner.writer().storeUnstored(c, job);
        return;
      }
      log.warn("Job {} ({}/{}) was taken back from this worker; its outcome is dropped", job.id(), config.name(), job.name());
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable t) {
      Throwable cause = t instanceof HandlerFailed ? t.getCause() : t;
      Thread.interrupted(); // an interrupted handler fails this attempt; the flag must not stop the writes below
      Job attempted = run.unstored ? startStored(c, job) : job;
      owner.outcomes().fail(c, attempted, reason(cause), !(cause instanceof UnrecoverableJobException), fx);
      failures.add("Job " + job.id() + " (" + config.name() + "/" + job.name() + ") attempt " + job.attempt() + " of "
          + job.attempts() + " failed: " + reason(cause));
    }
  }

  /** A job started without a row, now stored and ACTIVE: its failed attempt is recorded like any other's. */
  private Job startStored(Connection c, Job started) throws SQLException {
    Job waiting = owner.writer().storeUnstored(c, started);
    return JobTable.move(c, waiting, JobStatus.ACTIVE,
        JobTable.set("started_at", started.startedAt(), "lease_until", clock.instant().plus(config.lease()))).orElseThrow();
  }

  /** Journaled adds for this queue's next batch. */
  void enqueue(AddJournal.Entry entry) {
    lane.add(entry);
  }

  /** Takes every journaled add out of the lane (to write them some other way). */
  List<AddJournal.Entry> drainLane() {
    List<AddJournal.Entry> all = new ArrayList<>();
    lane.drainTo(all);
    return all;
  }

  int laneSize() {
    return lane.size();
  }

  /** The journaled adds waiting in the lane, for counting; a snapshot. */
  List<AddJournal.Entry> laneSnapshot() {
    return List.copyOf(lane);
  }

  /** Whether this runner's worker threads would run a job named {@code name} in a batch. */
  boolean batches(String name) {
    return batching && handlers.containsKey(name);
  }

  /**
   * Moves the best WAITING job (first promoting due DELAYED ones) to ACTIVE with a lease.
   *
   * @param slot which of the best candidates to try first: workers start at different ones so they
   *     seldom collide; 0 takes them strictly in order
   */
  Optional<Job> claim(int slot) {
    String[] wanted = names;
    if (wanted.length == 0 || stopping) {
      return Optional.empty();
    }
    promoteDue(false);
    return db.inTransaction(c -> claimIn(c, wanted, slot));
  }

  private Optional<Job> claimIn(Connection c, String[] wanted, int slot) throws SQLException {
    while (true) {
      Instant now = clock.instant();
      List<JobTable.Candidate> candidates = JobTable.candidates(c, config.name(), wanted, CANDIDATES);
      if (candidates.isEmpty()) {
        return Optional.empty();
      }
      for (int i = 0; i < candidates.size(); i++) {
        JobTable.Candidate candidate = candidates.get((slot + i) % candidates.size());
        Optional<Job> won = JobTable.claim(c, candidate, now, now.plus(config.lease()));
        if (won.isPresent()) {
          return won;
        }
      }
      // every candidate went to another worker between our read and our update: read again
    }
  }

  /**
   * Runs the handler of a claimed job and records the outcome.
   *
   * @return the job as it ended this attempt (COMPLETED, FAILED, DELAYED or WAITING for a retry);
   *     as claimed if the outcome was not recorded because the job was no longer ours
   */
  Job execute(Job job) {
    return run(job, 0, false).ended();
  }

  /** How a run ended, and the job claimed in the same transaction (if asked and there was one). */
  private record Ran(Job ended, Optional<Job> next) {}

  private Ran run(Job job, int slot, boolean claimNext) {
    RunningJob run = new RunningJob(job, Thread.currentThread(), db, owner.events(), clock);
    running.put(job.id(), run);
    try {
      if (stopping) {
        release(run);
        return new Ran(job, Optional.empty());
      }
      owner.events().publish(JobEvent.of(JobEvent.ACTIVE, job, null, clock.instant()));
      JobHandler handler = handlers.get(job.name());
      Throwable failure = null;
      if (handler.atomic()) {
        if (claimNext) {
          promoteDue(false);
        }
        Effects fx = new Effects();
        String[] wanted = names;
        try {
          Ran ran = db.inTransaction(c -> {
            process(handler, job, run);
            Optional<Job> ended = run.isCancelled() ? Optional.empty() : owner.outcomes().complete(c, job, fx);
            if (ended.isEmpty()) {
              run.lose();
              throw new LeaseLostException(job.id()); // undoes the handler's work: the job is someone else's
            }
            return new Ran(ended.get(), claimNext && !stopping ? claimIn(c, wanted, slot) : Optional.empty());
          });
          owner.apply(fx);
          return ran;
        } catch (VirtualMachineError e) {
          throw e;
        } catch (HandlerFailed t) {
          failure = t.getCause(); // nothing of the attempt committed; record the failure on its own below
        } catch (Throwable t) {
          failure = t;
        }
      } else {
        try {
          handler.process(job, run);
        } catch (VirtualMachineError e) {
          throw e;
        } catch (Throwable t) {
          failure = t;
        }
      }
      if (run.isCancelled()) {
        if (!stopping) { // released at shutdown is expected; taken back by the stalled check is not
          log.warn("Job {} ({}/{}) ended after it was taken back from this worker; its outcome is dropped", job.id(),
              config.name(), job.name());
        }
        return new Ran(job, Optional.empty());
      }
      // a handler interrupted but not released (it was not us) fails this attempt; clear the flag
      // so the database work below is not interrupted too
      Thread.interrupted();
      if (claimNext) {
        promoteDue(false); // due DELAYED jobs compete with the WAITING ones for the next claim
      }
      Effects fx = new Effects();
      Throwable f = failure;
      String[] wanted = names;
      Ran ran = db.inTransaction(c -> {
        Optional<Job> ended = f == null
            ? owner.outcomes().complete(c, job, fx)
            : owner.outcomes().fail(c, job, reason(f), !(f instanceof UnrecoverableJobException), fx);
        // the next claim rides on this commit; until then its row lock makes other claimers wait for it
        Optional<Job> next = claimNext && !stopping ? claimIn(c, wanted, slot) : Optional.empty();
        return new Ran(ended.orElse(null), next);
      });
      if (f != null) {
        log.warn("Job {} ({}/{}) attempt {} of {} failed: {}", job.id(), config.name(), job.name(), job.attempt(),
            job.attempts(), reason(f));
        log.debug("Job {} failure", job.id(), f);
      }
      if (ran.ended() == null) {
        log.warn("Job {} ({}/{}) changed while it ran (lease lost); its outcome is dropped", job.id(), config.name(),
            job.name());
      }
      owner.apply(fx);
      return new Ran(ran.ended() == null ? job : ran.ended(), ran.next());
    } finally {
      running.remove(job.id());
    }
  }

  /** Runs an atomic handler inside a transaction, its checked exceptions carried out in a {@link HandlerFailed}. */
  private static void process(JobHandler handler, Job job, RunningJob run) throws SQLException {
    try {
      handler.process(job, run);
    } catch (RuntimeException | SQLException e) {
      throw e;
    } catch (Exception e) {
      throw new HandlerFailed(e);
    }
  }

  /** A checked exception of an atomic handler, carried out of the transaction. */
  private static final class HandlerFailed extends RuntimeException {
    HandlerFailed(Exception cause) {
      super(cause.getMessage(), cause, false, false);
    }
  }

  private static String reason(Throwable t) {
    String message = t.getMessage();
    return message == null || message.isBlank() ? t.getClass().getSimpleName() : message;
  }

  /** Moves due DELAYED jobs to WAITING, unless none can be due yet ({@code force} looks anyway). */
  void promoteDue(boolean force) {
    Instant now = clock.instant();
    if (!force && now.isBefore(promoteAt.get()) || !promoting.compareAndSet(false, true)) {
      return;
    }
    try {
      promoteAt.set(Instant.MAX);
      Optional<Instant> next = db.inTransaction(c -> {
        JobTable.promoteDue(c, config.name(), now);
        return JobTable.nextDue(c, config.name());
      });
      next.ifPresent(at -> promoteAt.accumulateAndGet(at, (a, b) -> a.isBefore(b) ? a : b));
    } catch (RuntimeException e) {
      promoteAt.set(Instant.MIN);
      throw e;
    } finally {
      promoting.set(false);
    }
  }

  /** Something may have become due (a job was added, retried, released): look on the next claim. */
  void duePossiblyChanged() {
    promoteAt.set(Instant.MIN);
  }

  /** How long an idle worker waits: until the next DELAYED job is due, at most the poll interval. */
  Duration idleWait() {
    Instant at = promoteAt.get();
    Duration poll = config.pollInterval();
    if (at.equals(Instant.MAX)) {
      return poll;
    }
    if (!at.isAfter(clock.instant())) {
      return Duration.ofMillis(1);
    }
    Duration until = Duration.between(clock.instant(), at);
    return until.compareTo(poll) < 0 ? until : poll;
  }

  /** ACTIVE jobs of this queue whose lease ran out go back to WAITING, or fail once stalled too often. */
  List<Job> checkStalled() {
    List<Job> expired = db.read(c -> JobTable.expiredLeases(c, config.name(), clock.instant()));
    List<Job> moved = new ArrayList<>();
    for (Job job : expired) {
      Effects fx = new Effects();
      Optional<Job> after = db.inTransaction(c -> owner.outcomes().stall(c, job, config.maxStalledCount(), fx));
      after.ifPresent(j -> {
        moved.add(j);
        RunningJob run = running.get(j.id());
        if (run != null) {
          run.lose();
        }
        log.warn("Job {} ({}/{}) stalled (stall {}): {}", j.id(), config.name(), j.name(), j.stalls(),
            j.status() == JobStatus.FAILED ? "failed for good" : "back to WAITING");
      });
      owner.apply(fx);
    }
    return moved;
  }

  /** Extends the lease of every job running here; a job whose claim is gone is marked lost. */
  void renewLeases() {
    Instant until = clock.instant().plus(config.lease());
    for (RunningJob run : running.values()) {
      if (!run.isCancelled() && !run.claimUncommitted
          && !db.inTransaction(c -> JobTable.updateActive(c, run.job.id(), run.job.version(), "lease_until", until))) {
        run.lose();
      }
    }
  }

  /** No more claims from now on. */
  void stopClaiming() {
    stopping = true;
  }

  boolean isStopping() {
    return stopping;
  }

  int runningCount() {
    return running.size();
  }

  /** Gives every job still running here back to the queue (WAITING) and interrupts its thread. */
  int releaseRunning() {
    int released = 0;
    for (RunningJob run : running.values()) {
      if (release(run)) {
        released++;
      }
      run.thread.interrupt();
    }
    return released;
  }

  private boolean release(RunningJob run) {
    run.lose();
    if (run.unstored) { // no row: its batch stores it as WAITING, or the journal has it after a restart
      return false;
    }
    boolean released = db.inTransaction(c -> owner.outcomes().release(c, run.job)).isPresent();
    if (released) {
      log.info("Released job {} ({}/{}) unfinished; it runs again after the restart", run.job.id(), config.name(),
          run.job.name());
    }
    return released;
  }
}
