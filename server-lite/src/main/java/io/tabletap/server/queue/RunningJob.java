package io.tabletap.server.queue;

import io.tabletap.server.event.EventBus;
import io.tabletap.server.store.Database;
import java.time.Clock;

/**
 * A claimed job while its handler runs: the handler's {@link JobContext}, and what the runner,
 * the lease renewal and the shutdown know of it. Thread-safe.
 */
final class RunningJob implements JobContext {
  final Job job;
  final Thread thread;
  /**
   * Claimed in the transaction that runs it (a batch): until that commits, every other connection
   * still sees the job WAITING, so there is no lease to renew and a renewal would find no claim.
   */
  final boolean claimUncommitted;
  /** Started without a row in the jobs table (JobWriter.startUnstored): there is nothing to release or renew. */
  final boolean unstored;
  private final Database db;
  private final EventBus events;
  private final Clock clock;
  private volatile boolean lost;

  RunningJob(Job job, Thread thread, Database db, EventBus events, Clock clock) {
    this(job, thread, db, events, clock, false, false);
  }

  RunningJob(Job job, Thread thread, Database db, EventBus events, Clock clock, boolean claimUncommitted, boolean unstored) {
    this.job = job;
    this.thread = thread;
    this.claimUncommitted = claimUncommitted || unstored;
    this.unstored = unstored;
    this.db = db;
    this.events = events;
    this.clock = clock;
  }

  @Override
  public void progress(int percent) {
    if (percent < 0 || percent > 100) {
      throw new IllegalArgumentException("Progress is 0 to 100, not " + percent);
    }
    if (lost || !db.inTransaction(c -> JobTable.updateActive(c, job.id(), job.version(), "progress", percent))) {
      lost = true;
      throw new LeaseLostException(job.id());
    }
    events.publish(new JobEvent(JobEvent.PROGRESS, job.queue(), job.id(), job.name(), job.cafeId(), job.flowId(),
        JobStatus.ACTIVE, job.attemptsMade(), percent, null, null, clock.instant()));
  }

  @Override
  public boolean isCancelled() {
    return lost;
  }

  /** The job is no longer this worker's; its outcome will not be recorded. */
  void lose() {
    lost = true;
  }
}
