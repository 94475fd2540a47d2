package io.tabletap.server.flow;

import io.tabletap.server.domain.DomainEvent;
import io.tabletap.server.queue.FlowEvent;
import io.tabletap.server.queue.JobEvent;
import io.tabletap.server.realtime.RealtimeEvents;
import io.tabletap.server.realtime.Room;
import io.tabletap.server.realtime.RoomEvent;
import io.tabletap.server.realtime.RoomKey;
import io.tabletap.server.realtime.StateSynchronizationService;
import java.util.ArrayList;
import java.util.List;

/**
 * The queue's events of jobs that belong to a flow, as the seed's real-time events
 * (docs/protocol.md, "Events"): {@code job_started}, {@code job_progress}, {@code job_completed},
 * {@code job_retrying}, {@code job_failed}, {@code step_completed}, {@code flow_completed} and
 * {@code flow_failed} to {@code flow:{flowId}}; {@code job_failed} also to the cafe's staff room.
 * Jobs outside flows (webhooks) and events without a cafe are not sent: a room belongs to a cafe.
 * Stateless.
 */
public final class FlowRoomEvents implements StateSynchronizationService.RoomEventSource {

  @Override
  public List<RoomEvent> roomEvents(DomainEvent event) {
    List<RoomEvent> out = new ArrayList<>();
    if (event instanceof JobEvent e && e.flowId() != null && e.cafeId() != null) {
      RoomKey flow = new RoomKey(e.cafeId(), Room.flow(e.flowId()));
      switch (e.name()) {
        case JobEvent.ACTIVE -> out.add(new RoomEvent(flow, RealtimeEvents.JOB_STARTED, new RealtimeEvents.JobStarted(e.flowId(),
            e.jobId(), e.jobName(), e.queue(), e.attemptsMade() + 1, e.occurredAt()), e.occurredAt()));
        case JobEvent.PROGRESS -> out.add(new RoomEvent(flow, RealtimeEvents.JOB_PROGRESS, new RealtimeEvents.JobProgress(e.flowId(),
            e.jobId(), e.jobName(), e.progress()), e.occurredAt()));
        case JobEvent.COMPLETED -> out.add(new RoomEvent(flow, RealtimeEvents.JOB_COMPLETED, new RealtimeEvents.JobCompleted(
            e.flowId(), e.jobId(), e.jobName(), e.occurredAt()), e.occurredAt()));
        case JobEvent.RETRYING -> out.add(new RoomEvent(flow, RealtimeEvents.JOB_RETRYING, new RealtimeEvents.JobRetrying(
            e.flowId(), e.jobId(), e.jobName(), e.reason(), e.attemptsMade(), e.runAt()), e.occurredAt()));
        case JobEvent.FAILED -> {
          RealtimeEvents.JobFailed data = new RealtimeEvents.JobFailed(e.flowId(), e.jobId(), e.jobName(), e.queue(), e.reason(),
              e.attemptsMade(), e.occurredAt());
          out.add(new RoomEvent(flow, RealtimeEvents.JOB_FAILED, data, e.occurredAt()));
          out.add(new RoomEvent(new RoomKey(e.cafeId(), Room.staff(e.cafeId())), RealtimeEvents.JOB_FAILED, data, e.occurredAt()));
        }
        default -> { } // added, stalled, removed: not for the flow's watchers
      }
    } else if (event instanceof FlowEvent e && e.cafeId() != null) {
      RoomKey flow = new RoomKey(e.cafeId(), Room.flow(e.flowId()));
      switch (e.name()) {
        case FlowEvent.STEP_COMPLETED -> out.add(new RoomEvent(flow, RealtimeEvents.STEP_COMPLETED, new RealtimeEvents.StepCompleted(
            e.flowId(), e.jobId(), e.jobName(), e.step(), e.occurredAt()), e.occurredAt()));
        case FlowEvent.COMPLETED -> out.add(new RoomEvent(flow, RealtimeEvents.FLOW_COMPLETED,
            new RealtimeEvents.FlowCompleted(e.flowId(), e.occurredAt()), e.occurredAt()));
        case FlowEvent.FAILED -> out.add(new RoomEvent(flow, RealtimeEvents.FLOW_FAILED, new RealtimeEvents.FlowFailed(e.flowId(),
            e.jobId(), e.jobName(), e.step(), e.occurredAt()), e.occurredAt()));
        default -> { }
      }
    }
    return out;
  }
}
