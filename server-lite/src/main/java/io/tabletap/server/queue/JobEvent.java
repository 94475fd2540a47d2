package io.tabletap.server.queue;

import io.tabletap.server.domain.DomainEvent;
import java.time.Instant;
import java.util.UUID;

/**
 * Something happened to a job; published on the event bus after the change is committed. The
 * names are stable strings:
 *
 * <ul>
 *   <li>{@code job.added}: a new job (not a deduplicated one) was committed;
 *   <li>{@code job.active}: a worker claimed it and its handler starts;
 *   <li>{@code job.progress}: the handler reported {@link #progress()};
 *   <li>{@code job.completed}: the handler returned;
 *   <li>{@code job.retrying}: an attempt failed ({@link #reason()}) and the next runs at {@link #runAt()};
 *   <li>{@code job.failed}: it failed for good: no attempts left, unrecoverable, stalled too often,
 *       or its prerequisite failed; it stays as a dead letter (FAILED) until retried or removed;
 *   <li>{@code job.stalled}: its lease ran out while ACTIVE (its worker died or hung);
 *   <li>{@code job.removed}: removed by hand (retention's removals are not reported).
 * </ul>
 *
 * @param cafeId the job data's {@code cafeId}, or null (listeners must allow null)
 * @param flowId the job's flow, or null
 * @param attemptsMade attempts that ran to an end so far
 * @param reason for failed, retrying and stalled: why; otherwise null
 * @param runAt for added and retrying: when it becomes ready (null for a BLOCKED job)
 */
public record JobEvent(
    String name, String queue, UUID jobId, String jobName, String cafeId, String flowId, JobStatus status,
    int attemptsMade, int progress, String reason, Instant runAt, Instant occurredAt) implements DomainEvent {

  public static final String ADDED = "job.added";
  public static final String ACTIVE = "job.active";
  public static final String PROGRESS = "job.progress";
  public static final String COMPLETED = "job.completed";
  public static final String RETRYING = "job.retrying";
  public static final String FAILED = "job.failed";
  public static final String STALLED = "job.stalled";
  public static final String REMOVED = "job.removed";

  static JobEvent of(String name, Job job, String reason, Instant at) {
    Instant runAt = job.status() == JobStatus.WAITING || job.status() == JobStatus.DELAYED ? job.runAt() : null;
    return new JobEvent(name, job.queue(), job.id(), job.name(), job.cafeId(), job.flowId(), job.status(),
        job.attemptsMade(), job.progress(), reason, runAt, at);
  }
}
