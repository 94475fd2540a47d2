package io.tabletap.server.queue;

import io.tabletap.server.domain.NotFoundException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * What an operator does with jobs: count them, list them (FAILED ones are the dead letters),
 * retry a failed one, remove one. Every method takes the caller's cafe: it sees the jobs of that
 * cafe and the jobs of no cafe (null: every job). Thread-safe.
 */
public final class QueueAdmin {
  public static final int MAX_LIMIT = 500;

  private final Queues owner;

  QueueAdmin(Queues owner) {
    this.owner = owner;
  }

  /** A queue and how many of its jobs are in each status (every status present). */
  public record QueueCounts(String queue, Map<JobStatus, Long> counts) {}

  /**
   * Which jobs to list; null fields do not filter.
   *
   * @param limit 1 to {@link #MAX_LIMIT}; the newest first
   */
  public record JobQuery(String queue, JobStatus status, String flowId, int limit) {
    public JobQuery {
      if (limit < 1 || limit > MAX_LIMIT) {
        throw new IllegalArgumentException("limit is 1 to " + MAX_LIMIT + ", not " + limit);
      }
    }
  }

  /** Every configured queue (and any other queue name found in the table), in configuration order. */
  public List<QueueCounts> counts(String cafeId) {
    Map<String, Map<JobStatus, Long>> counts = new LinkedHashMap<>();
    owner.all().forEach(q -> counts.put(q.name(), zeros()));
    owner.db().read(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT queue, status, COUNT(*) FROM jobs WHERE " + visible(cafeId)
          + " GROUP BY queue, status")) {
        if (cafeId != null) {
          s.setString(1, cafeId);
        }
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            counts.computeIfAbsent(rs.getString(1), q -> zeros()).put(JobStatus.valueOf(rs.getString(2)), rs.getLong(3));
          }
        }
      }
      return null;
    });
    // journaled adds a batch has not written into H2 yet wait too (decision 0021)
    counts.forEach((queue, byStatus) -> byStatus.merge(JobStatus.WAITING, owner.journaledWaiting(queue, cafeId), Long::sum));
    List<QueueCounts> result = new ArrayList<>();
    counts.forEach((queue, byStatus) -> result.add(new QueueCounts(queue, byStatus)));
    return result;
  }

  private static Map<JobStatus, Long> zeros() {
    Map<JobStatus, Long> zeros = new EnumMap<>(JobStatus.class);
    for (JobStatus status : JobStatus.values()) {
      zeros.put(status, 0L);
    }
    return zeros;
  }

  /** The newest jobs that fit {@code query}. */
  public List<Job> jobs(JobQuery query, String cafeId) {
    StringBuilder sql = new StringBuilder("SELECT " + JobTable.COLUMNS + " FROM jobs WHERE " + visible(cafeId));
    List<Object> params = new ArrayList<>();
    if (cafeId != null) {
      params.add(cafeId);
    }
    if (query.queue() != null) {
      sql.append(" AND queue = ?");
      params.add(query.queue());
    }
    if (query.status() != null) {
      sql.append(" AND status = ?");
      params.add(query.status());
    }
    if (query.flowId() != null) {
      sql.append(" AND flow_id = ?");
      params.add(query.flowId());
    }
    sql.append(" ORDER BY seq DESC LIMIT ?");
    params.add(query.limit());
    return owner.db().read(c -> JobTable.many(c, sql.toString(), params.toArray()));
  }

  /** @throws NotFoundException if there is no such job the caller may see */
  public Job get(UUID id, String cafeId) {
    return owner.db().read(c -> find(c, id, cafeId, false));
  }

  /**
   * A FAILED job back to WAITING (BLOCKED while its prerequisite is unfinished) with attempts,
   * stalls and progress reset; the jobs cancelled because it failed come back too.
   *
   * @throws NotFoundException if there is no such job the caller may see
   * @throws JobStateException {@code not_retryable} unless FAILED; {@code prerequisite_failed} or
   *     {@code prerequisite_missing} for a cancelled job whose prerequisite is not retried first
   */
  public Job retry(UUID id, String cafeId) {
    Effects fx = new Effects();
    Job retried = owner.db().inTransaction(c -> owner.outcomes().retry(c, find(c, id, cafeId, true), fx));
    owner.apply(fx);
    return retried;
  }

  /**
   * Deletes a job that is not running; removing an unfinished one cancels the jobs that wait on
   * it and fails its flow. Publishes {@code job.removed}.
   *
   * @throws NotFoundException if there is no such job the caller may see
   * @throws JobStateException {@code job_active} for a running job
   */
  public void remove(UUID id, String cafeId) {
    Effects fx = new Effects();
    owner.db().inTransaction(c -> {
      owner.outcomes().remove(c, find(c, id, cafeId, true), fx);
      return null;
    });
    owner.apply(fx);
  }

  private static Job find(Connection c, UUID id, String cafeId, boolean lock) throws SQLException {
    Optional<Job> job = cafeId == null
        ? JobTable.one(c, "SELECT " + JobTable.COLUMNS + " FROM jobs WHERE id = ?" + (lock ? " FOR UPDATE" : ""), id)
        : JobTable.one(c, "SELECT " + JobTable.COLUMNS + " FROM jobs WHERE id = ? AND " + visible(cafeId)
            + (lock ? " FOR UPDATE" : ""), id, cafeId);
    return job.orElseThrow(() -> new NotFoundException("No job " + id));
  }

  /** Jobs of the caller's cafe and jobs of no cafe; binds one parameter when {@code cafeId} is set. */
  private static String visible(String cafeId) {
    return cafeId == null ? "TRUE" : "(cafe_id = ? OR cafe_id IS NULL)";
  }
}
