package io.tabletap.server.queue;

import io.tabletap.server.domain.DomainEvent;
import java.time.Instant;
import java.util.UUID;

/**
 * Something happened to a flow (jobs sharing a flow id, run in prerequisite order); published
 * after the change is committed.
 *
 * <ul>
 *   <li>{@code flow.step_completed}: job {@link #jobId()} ({@link #step()}) of the flow completed;
 *   <li>{@code flow.completed}: every job of the flow completed (also after a failure, if the
 *       failed jobs were retried by hand and then completed);
 *   <li>{@code flow.failed}: job {@link #jobId()} failed for good, or was removed unfinished: the
 *       flow cannot complete; its dependants were cancelled.
 * </ul>
 *
 * @param jobId the job concerned, null for {@code flow.completed}
 * @param cafeId the flow's cafe (the first step's data {@code cafeId}), or null
 */
public record FlowEvent(
    String name, String flowId, UUID jobId, String step, String jobName, String queue, String cafeId, Instant occurredAt)
    implements DomainEvent {

  public static final String STEP_COMPLETED = "flow.step_completed";
  public static final String COMPLETED = "flow.completed";
  public static final String FAILED = "flow.failed";

  static FlowEvent of(String name, Job job, String cafeId, Instant at) {
    return new FlowEvent(name, job.flowId(), job.id(), job.flowStep(), job.name(), job.queue(), cafeId, at);
  }

  static FlowEvent completed(String flowId, String cafeId, Instant at) {
    return new FlowEvent(COMPLETED, flowId, null, null, null, null, cafeId, at);
  }
}
