package io.tabletap.server.http;

import io.tabletap.server.errors.ApiException;
import com.fasterxml.jackson.databind.JsonNode;
import io.tabletap.server.device.Role;
import io.tabletap.server.queue.Job;
import io.tabletap.server.queue.JobStatus;
import io.tabletap.server.queue.QueueAdmin;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * {@code /api/admin/queues} and {@code /api/admin/jobs}: the durable job queue for an operator:
 * counts per status, job lists (FAILED jobs are the dead letters), retrying and removing jobs.
 * ADMIN only. A device sees the jobs of its cafe and those of no cafe.
 */
final class QueueRoutes {
  private static final Set<Role> ADMIN = EnumSet.of(Role.ADMIN);
  private static final int DEFAULT_LIMIT = 100;

  private final QueueAdmin admin;

  QueueRoutes(QueueAdmin admin) {
    this.admin = admin;
  }

  List<Route> routes() {
    return List.of(
        new Route("GET", "/api/admin/queues", ADMIN, this::queues),
        new Route("GET", "/api/admin/jobs", ADMIN, this::jobs),
        new Route("GET", "/api/admin/jobs/{id}", ADMIN, r -> Response.ok(view(admin.get(jobId(r), cafe(r))))),
        new Route("POST", "/api/admin/jobs/{id}/retry", ADMIN, r -> Response.ok(view(admin.retry(jobId(r), cafe(r))))),
        new Route("DELETE", "/api/admin/jobs/{id}", ADMIN, r -> {
          admin.remove(jobId(r), cafe(r));
          return Response.of(204, null);
        }));
  }

  record QueueView(String name, Map<String, Long> counts) {}

  record QueuesView(List<QueueView> queues) {}

  record JobView(UUID id, String queue, String name, String status, int progress, int priority, int attempts,
      int attemptsMade, int stalls, String failedReason, String jobId, String cafeId, String flowId, String flowStep,
      UUID prerequisiteId, int payloadVersion, JsonNode data, Instant createdAt, Instant runAt, Instant startedAt,
      Instant finishedAt, Instant leaseUntil) {}

  record JobsView(List<JobView> jobs) {}

  private Response queues(Request request) {
    return Response.ok(new QueuesView(admin.counts(cafe(request)).stream().map(q -> {
      Map<String, Long> counts = new LinkedHashMap<>();
      q.counts().forEach((status, n) -> counts.put(status.name(), n));
      return new QueueView(q.queue(), counts);
    }).toList()));
  }

  private Response jobs(Request request) {
    JobStatus status = request.queryParam("status").map(QueueRoutes::status).orElse(null);
    int limit = request.queryParam("limit").map(QueueRoutes::limit).orElse(DEFAULT_LIMIT);
    String queue = request.queryParam("queue").filter(q -> !q.isEmpty()).orElse(null);
    String flowId = request.queryParam("flowId").filter(f -> !f.isEmpty()).orElse(null);
    List<Job> jobs = admin.jobs(new QueueAdmin.JobQuery(queue, status, flowId, limit), cafe(request));
    return Response.ok(new JobsView(jobs.stream().map(QueueRoutes::view).toList()));
  }

  private static String cafe(Request request) {
    return request.device().cafeId();
  }

  private static UUID jobId(Request request) {
    String raw = request.pathParam("id");
    try {
      return UUID.fromString(raw);
    } catch (IllegalArgumentException e) {
      throw new ApiException(404, "not_found", "No job '" + raw + "'");
    }
  }

  private static JobStatus status(String value) {
    try {
      return JobStatus.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, "bad_parameter", "status is one of " + List.of(JobStatus.values()));
    }
  }

  private static int limit(String value) {
    try {
      int limit = Integer.parseInt(value);
      if (limit >= 1 && limit <= QueueAdmin.MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new ApiException(400, "bad_parameter", "limit must be 1 to " + QueueAdmin.MAX_LIMIT);
  }

  static JobView view(Job j) {
    return new JobView(j.id(), j.queue(), j.name(), j.status().name(), j.progress(), j.priority(), j.attempts(),
        j.attemptsMade(), j.stalls(), j.failedReason(), j.jobKey(), j.cafeId(), j.flowId(), j.flowStep(),
        j.prerequisiteId(), j.payloadVersion(), j.data(), j.createdAt(), j.runAt(), j.startedAt(), j.finishedAt(),
        j.leaseUntil());
  }
}
