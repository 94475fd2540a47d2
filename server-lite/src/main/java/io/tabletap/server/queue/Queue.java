package io.tabletap.server.queue;

import io.tabletap.server.tx.CommitHook;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * One named queue: add jobs, register the handlers that run them, and run them either
 * deterministically ({@link #runOnce()}, for tests) or on worker threads (after
 * {@link Queues#start()}). Get one from {@link Queues#queue(String)}. Thread-safe.
 *
 * <pre>{@code
 * queues.queue("webhook-processing").handle("process_webhook", (job, ctx) -> { ... });
 * queues.start();
 * }</pre>
 */
public final class Queue {
  private final QueueConfig config;
  private final Queues owner;
  private final JobRunner runner;
  private WorkerPool pool;

  Queue(QueueConfig config, Queues owner) {
    this.config = config;
    this.owner = owner;
    this.runner = new JobRunner(config, owner);
  }

  public String name() {
    return config.name();
  }

  public QueueConfig config() {
    return config;
  }

  /**
   * Runs jobs named {@code jobName} with {@code handler}. A queue claims only jobs it has a
   * handler for (the others wait, visible in the admin API). Register before
   * {@link Queues#start()}, or later: a started queue's workers start with its first handler.
   *
   * @throws IllegalStateException if the name has a handler already, or the queues are closed
   */
  public synchronized Queue handle(String jobName, JobHandler handler) {
    if (owner.isStopping()) {
      throw new IllegalStateException("The queues are closed");
    }
    JobSpec.builder(name(), jobName).build(); // the same rules as for a job's name
    runner.handle(jobName, handler);
    if (owner.isStarted()) {
      start();
    }
    wake();
    return this;
  }

  /**
   * Adds a job, then publishes {@code job.added} and wakes a worker. Committed when this returns:
   * inside a transaction of the calling thread, with it (the events wait for its commit);
   * otherwise in a commit shared with the jobs other threads add at the same moment (a group
   * commit). For a job that must commit with rows of another transaction, see {@link Queues#writer()}.
   *
   * @throws IllegalArgumentException if the spec is for another queue
   */
  public JobWriter.Added add(JobSpec spec) {
    if (!spec.queue().equals(name())) {
      throw new IllegalArgumentException("A job for " + spec.queue() + " added to " + name());
    }
    if (!owner.db().inTransaction()) {
      Optional<JobWriter.Added> grouped = owner.addGrouped(spec);
      if (grouped.isPresent()) {
        return grouped.get();
      }
    }
    return addBulk(List.of(spec)).get(0);
  }

  /** Adds several jobs in one transaction (all or none), in order. */
  public List<JobWriter.Added> addBulk(List<JobSpec> specs) {
    for (JobSpec spec : specs) {
      if (!spec.queue().equals(name())) {
        throw new IllegalArgumentException("A job for " + spec.queue() + " added to " + name());
      }
    }
    List<JobWriter.Added> added = owner.db().inTransaction(c -> {
      List<JobWriter.Added> all = new ArrayList<>(specs.size());
      for (JobSpec spec : specs) {
        all.add(owner.writer().insert(c, spec));
      }
      return all;
    });
    owner.db().atEnd(new CommitHook() {
      @Override
      public void afterCommit() {
        owner.afterCommit(added); // inside a caller's transaction: only once it committed
      }
    });
    return added;
  }

  /**
   * Tells this queue's idle workers to look for work now; call after committing a transaction
   * that added jobs through {@link JobWriter}. Harmless at any time.
   */
  public void wake() {
    runner.duePossiblyChanged();
    WorkerPool p;
    synchronized (this) {
      p = pool;
    }
    if (p != null) {
      p.wake();
    }
  }

  /**
   * Claims the best job this queue can run (after moving due DELAYED jobs to WAITING) and runs it
   * on the calling thread. Deterministic with a settable clock: the way tests drive the queue.
   *
   * @return the job as it ended (COMPLETED; FAILED; DELAYED or WAITING for a retry), or empty if
   *     nothing was ready
   */
  public Optional<Job> runOnce() {
    runner.promoteDue(true);
    return runner.claim(0).map(runner::execute);
  }

  /**
   * The stalled check: every ACTIVE job whose lease ran out goes back to WAITING with one more
   * stall, or fails ("stalled") past the queue's {@code maxStalledCount}. Runs every
   * {@code stalledInterval} once started; callable at any time.
   *
   * @return the jobs it moved, as they are now
   */
  public List<Job> checkStalled() {
    return runner.checkStalled();
  }

  /** What the lease-renewal timer does, for tests that need it at a given moment. */
  void renewLeases() {
    runner.renewLeases();
  }

  /** The job, if it is in this queue. */
  public Optional<Job> find(UUID id) {
    return owner.db().read(c -> JobTable.find(c, id)).filter(j -> j.queue().equals(name()));
  }

  /** How many jobs this queue holds in each status (every status present, maybe 0). */
  public Map<JobStatus, Long> counts() {
    Map<JobStatus, Long> counts = new EnumMap<>(JobStatus.class);
    owner.admin().counts(null).stream().filter(q -> q.queue().equals(name())).findFirst()
        .ifPresent(q -> counts.putAll(q.counts()));
    return counts;
  }

  /** Claims without running: what a worker that dies right after its claim leaves behind. */
  Optional<Job> claim() {
    return runner.claim(0);
  }

  JobRunner runner() {
    return runner;
  }

  synchronized void start() {
    if (pool == null && runner.hasHandlers() && !owner.isStopping()) {
      pool = new WorkerPool(config, runner);
      pool.start();
    }
  }

  synchronized WorkerPool pool() {
    return pool;
  }
}
