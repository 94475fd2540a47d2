package io.tabletap.server.queue;

import static io.tabletap.server.queue.JobTable.set;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.Set;
import java.util.function.DoubleSupplier;

/**
 * The rules for what happens to a job when it ends an attempt, stalls, is released, retried or
 * removed, including what that does to the jobs that wait on it and to its flow. Each method works
 * inside the caller's transaction and records what to announce in {@link Effects}.
 *
 * <p>Every change of status is fenced by the job's version: a method given a job that someone
 * else changed since it was read changes nothing and returns empty.
 */
final class Outcomes {
  static final String STALLED = "stalled";
  static final String PREREQUISITE_FAILED = "prerequisite failed";
  static final String PREREQUISITE_REMOVED = "prerequisite removed";
  private static final Set<String> CANCELLED = Set.of(PREREQUISITE_FAILED, PREREQUISITE_REMOVED);

  private final Clock clock;
  private final DoubleSupplier random;

  Outcomes(Clock clock, DoubleSupplier random) {
    this.clock = clock;
    this.random = random;
  }

  /** ACTIVE → COMPLETED; releases its BLOCKED dependants and counts the step of its flow. */
  Optional<Job> complete(Connection c, Job job, Effects fx) throws SQLException {
    Instant now = clock.instant();
    Optional<Job> done = JobTable.move(c, job, JobStatus.COMPLETED,
        set("lease_until", null, "finished_at", now, "attempts_made", job.attemptsMade() + 1));
    if (done.isEmpty()) {
      return done;
    }
    Job completed = done.get();
    fx.event(JobEvent.of(JobEvent.COMPLETED, completed, null, now));
    for (Job dependant : JobTable.dependants(c, completed.id(), JobStatus.BLOCKED)) {
      boolean later = !dependant.delay().isZero();
      JobTable.move(c, dependant, later ? JobStatus.DELAYED : JobStatus.WAITING, set("run_at", now.plus(dependant.delay())));
      fx.wake(dependant.queue());
    }
    if (completed.flowId() != null) {
      FlowTable.FlowRow flow = FlowTable.stepCompleted(c, completed.flowId(), now);
      fx.event(FlowEvent.of(FlowEvent.STEP_COMPLETED, completed, flow.cafeId(), now));
      if (flow.remaining() == 0) {
        fx.event(FlowEvent.completed(flow.id(), flow.cafeId(), now));
      }
    }
    retain(c, completed, JobStatus.COMPLETED, completed.removeOnComplete(), fx);
    return done;
  }

  /**
   * A job that ran without a row (JobWriter.startUnstored) completed: announced like any other;
   * there is nothing to store, as its queue would delete it at once, and nothing waits on it.
   */
  void completedUnstored(Job job, Effects fx) {
    Instant now = clock.instant();
    Job completed = job.as(JobStatus.COMPLETED, job.attemptsMade() + 1, job.startedAt(), now);
    fx.event(JobEvent.of(JobEvent.COMPLETED, completed, null, now));
  }

  /**
   * Ends a failed attempt of an ACTIVE job: a retry after the job's backoff (DELAYED, or WAITING
   * when the backoff is nothing) while it has attempts left and the failure is {@code retryable};
   * otherwise FAILED for good, which cancels its dependants and fails its flow.
   */
  Optional<Job> fail(Connection c, Job job, String reason, boolean retryable, Effects fx) throws SQLException {
    Instant now = clock.instant();
    int made = job.attemptsMade() + 1;
    String why = JobTable.reason(reason);
    if (retryable && made < job.attempts()) {
      Duration wait = job.backoff().delayAfter(made, random);
      JobStatus to = wait.isZero() ? JobStatus.WAITING : JobStatus.DELAYED;
      Optional<Job> retry = JobTable.move(c, job, to,
          set("lease_until", null, "attempts_made", made, "run_at", now.plus(wait), "failed_reason", why));
      retry.ifPresent(j -> {
        fx.event(JobEvent.of(JobEvent.RETRYING, j, why, now));
        fx.wake(j.queue());
      });
      return retry;
    }
    Optional<Job> failed = JobTable.move(c, job, JobStatus.FAILED,
        set("lease_until", null, "attempts_made", made, "finished_at", now, "failed_reason", why));
    if (failed.isPresent()) {
      failedForGood(c, failed.get(), why, now, fx);
    }
    return failed;
  }

  /**
   * An ACTIVE job whose lease ran out: back to WAITING with one more stall, or FAILED ("stalled")
   * once it has stalled more than {@code maxStalls} times.
   */
  Optional<Job> stall(Connection c, Job job, int maxStalls, Effects fx) throws SQLException {
    Instant now = clock.instant();
    int stalls = job.stalls() + 1;
    if (stalls > maxStalls) {
      Optional<Job> failed = JobTable.move(c, job, JobStatus.FAILED,
          set("lease_until", null, "stalls", stalls, "finished_at", now, "failed_reason", STALLED));
      failed.ifPresent(j -> fx.event(JobEvent.of(JobEvent.STALLED, j, STALLED, now)));
      if (failed.isPresent()) {
        failedForGood(c, failed.get(), STALLED, now, fx);
      }
      return failed;
    }
    Optional<Job> again = JobTable.move(c, job, JobStatus.WAITING, set("lease_until", null, "stalls", stalls, "run_at", now));
    again.ifPresent(j -> {
      fx.event(JobEvent.of(JobEvent.STALLED, j, STALLED, now));
      fx.wake(j.queue());
    });
    return again;
  }

  /** An ACTIVE job given back unfinished (the queue is stopping): WAITING, no attempt used. */
  Optional<Job> release(Connection c, Job job) throws SQLException {
    return JobTable.move(c, job, JobStatus.WAITING, set("lease_until", null, "run_at", clock.instant()));
  }

  private void failedForGood(Connection c, Job failed, String reason, Instant now, Effects fx) throws SQLException {
    fx.event(JobEvent.of(JobEvent.FAILED, failed, reason, now));
    cancelDependants(c, failed, PREREQUISITE_FAILED, now, fx);
    failFlow(c, failed, now, fx);
    retain(c, failed, JobStatus.FAILED, failed.removeOnFail(), fx);
  }

  /**
   * Applies retention to a job that just finished: one kept for no time is deleted in the
   * transaction that finished it, its B-tree pages still the ones that transaction writes anyway;
   * the others are left to a sweep after the commit (Sweeper). A sweep deletes jobs that finished
   * long before, on pages no one else touches: at 500 webhooks/s, sweeping the webhook queue's
   * 1,000 kept jobs took a quarter of its worker (docs/performance.md, "Session 4").
   */
  private static void retain(Connection c, Job finished, JobStatus status, Retention retention, Effects fx) throws SQLException {
    if (retention.removesAtOnce()) {
      JobTable.delete(c, finished.id(), finished.version());
    } else {
      fx.sweep(finished.queue(), status, retention);
    }
  }

  /** Every BLOCKED job that waits on {@code job}, directly or through others, fails with {@code reason}. */
  void cancelDependants(Connection c, Job job, String reason, Instant now, Effects fx) throws SQLException {
    Deque<Job> todo = new ArrayDeque<>();
    todo.add(job);
    while (!todo.isEmpty()) {
      for (Job dependant : JobTable.dependants(c, todo.remove().id(), JobStatus.BLOCKED)) {
        Optional<Job> cancelled = JobTable.move(c, dependant, JobStatus.FAILED, set("finished_at", now, "failed_reason", reason));
        if (cancelled.isPresent()) {
          fx.event(JobEvent.of(JobEvent.FAILED, cancelled.get(), reason, now));
          todo.add(cancelled.get());
        }
      }
    }
  }

  /** The flow of {@code job} (if any) fails, reported once however many of its jobs fail. */
  void failFlow(Connection c, Job job, Instant now, Effects fx) throws SQLException {
    if (job.flowId() != null && FlowTable.fail(c, job.flowId(), now)) {
      String cafeId = FlowTable.find(c, job.flowId()).map(FlowTable.FlowRow::cafeId).orElse(null);
      fx.event(FlowEvent.of(FlowEvent.FAILED, job, cafeId, now));
    }
  }

  /**
   * A FAILED job, retried by hand: attempts, stalls and progress start again; WAITING, or BLOCKED
   * while its prerequisite is unfinished. Dependants that were cancelled because of it come back
   * to BLOCKED, and its flow runs again.
   *
   * @throws JobStateException if it is not FAILED, or it never ran and its prerequisite failed or is gone
   */
  Job retry(Connection c, Job job, Effects fx) throws SQLException {
    if (job.status() != JobStatus.FAILED) {
      throw new JobStateException("not_retryable", job.status(), "Only a FAILED job can be retried; this one is " + job.status());
    }
    JobStatus to = JobStatus.WAITING;
    if (job.prerequisiteId() != null && job.startedAt() == null) {
      Optional<Job> prerequisite = JobTable.find(c, job.prerequisiteId());
      if (prerequisite.isEmpty()) {
        throw new JobStateException("prerequisite_missing", job.status(),
            "Its prerequisite " + job.prerequisiteId() + " is gone, so it cannot run");
      }
      if (prerequisite.get().status() == JobStatus.FAILED) {
        throw new JobStateException("prerequisite_failed", job.status(),
            "Retry its prerequisite " + job.prerequisiteId() + " first");
      }
      to = prerequisite.get().status() == JobStatus.COMPLETED ? JobStatus.WAITING : JobStatus.BLOCKED;
    }
    Instant now = clock.instant();
    Job retried = JobTable.move(c, job, to, fresh(now)).orElseThrow(() -> changed(job));
    fx.event(JobEvent.of(JobEvent.RETRYING, retried, "retried by hand", now));
    fx.wake(retried.queue());
    if (retried.flowId() != null) {
      FlowTable.resume(c, retried.flowId());
    }
    Deque<Job> todo = new ArrayDeque<>();
    todo.add(retried);
    while (!todo.isEmpty()) {
      for (Job dependant : JobTable.dependants(c, todo.remove().id(), JobStatus.FAILED)) {
        if (CANCELLED.contains(dependant.failedReason()) && dependant.startedAt() == null) {
          JobTable.move(c, dependant, JobStatus.BLOCKED, fresh(now)).ifPresent(todo::add);
        }
      }
    }
    return retried;
  }

  private static java.util.Map<String, Object> fresh(Instant now) {
    return set("attempts_made", 0, "stalls", 0, "progress", 0, "failed_reason", null, "finished_at", null,
        "started_at", null, "run_at", now);
  }

  /**
   * Deletes a job that is not ACTIVE. An unfinished one takes its BLOCKED dependants with it
   * (FAILED, "prerequisite removed") and fails its flow.
   *
   * @throws JobStateException if it is ACTIVE
   */
  void remove(Connection c, Job job, Effects fx) throws SQLException {
    if (job.status() == JobStatus.ACTIVE) {
      throw new JobStateException("job_active", job.status(), "A running job cannot be removed; wait for it to end");
    }
    if (!JobTable.delete(c, job.id(), job.version())) {
      throw changed(job);
    }
    Instant now = clock.instant();
    fx.event(JobEvent.of(JobEvent.REMOVED, job, null, now));
    if (!job.status().isFinished()) {
      cancelDependants(c, job, PREREQUISITE_REMOVED, now, fx);
      failFlow(c, job, now, fx);
    }
  }

  private static JobStateException changed(Job job) {
    return new JobStateException("job_changed", job.status(), "The job changed meanwhile; read it again");
  }
}
