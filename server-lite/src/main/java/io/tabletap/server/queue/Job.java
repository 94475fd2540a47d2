package io.tabletap.server.queue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * A job as stored, read at one moment. A handler gets the job as it was claimed: status ACTIVE,
 * {@code attemptsMade} counting the attempts before this one. The data is the handler's own copy.
 *
 * @param id the queue's id for the job
 * @param seq insertion order
 * @param jobKey the caller's deduplication key ({@code jobId} option), or null
 * @param cafeId the data's {@code cafeId}, or null
 * @param runAt for WAITING: since when it is ready; for DELAYED: when it becomes ready
 * @param delay for a job with a prerequisite: the wait after the prerequisite completed
 * @param attempts how many attempts it gets at most
 * @param attemptsMade how many attempts ran to an end (completed or threw)
 * @param prerequisiteId the job that must complete first, or null
 * @param flowId the flow it belongs to, or null; {@code flowStep} its step name there
 * @param progress 0 to 100, as the handler last reported
 * @param stalls how many times its lease ran out while it was ACTIVE
 * @param leaseUntil for ACTIVE: until when the worker holds it
 * @param failedReason why the last attempt failed (also after a retry), or null
 * @param version bumped by every change of status
 */
public record Job(
    UUID id, long seq, String queue, String name, String jobKey, JsonNode data, int payloadVersion, String cafeId,
    JobStatus status, int priority, Instant runAt, Duration delay, int attempts, int attemptsMade, Backoff backoff,
    Retention removeOnComplete, Retention removeOnFail, UUID prerequisiteId, String flowId, String flowStep,
    int progress, int stalls, Instant leaseUntil, String failedReason, long version, Instant createdAt,
    Instant startedAt, Instant finishedAt) {

  /** 1 for the first attempt, 2 for the first retry, … (as seen while the job runs). */
  public int attempt() {
    return attemptsMade + 1;
  }

  /**
   * This job moved on in memory, with no row to read back (a job run without a row, decision
   * 0024): {@code status}, {@code attemptsMade}, started and finished as given, no lease.
   */
  Job as(JobStatus newStatus, int madeAttempts, Instant started, Instant finished) {
    return new Job(id, seq, queue, name, jobKey, data, payloadVersion, cafeId, newStatus, priority, runAt, delay, attempts,
        madeAttempts, backoff, removeOnComplete, removeOnFail, prerequisiteId, flowId, flowStep, progress, stalls, null,
        failedReason, version, createdAt, started, finished);
  }
}
