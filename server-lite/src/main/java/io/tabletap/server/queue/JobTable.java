package io.tabletap.server.queue;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.tabletap.server.json.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The SQL of the {@code jobs} table (V005), all of it: reads, the claim ({@link #claim}), and
 * every other change of status, which goes through {@link #move} so that it is checked against
 * {@link JobStatus#next()}; both are fenced by the row's version. Stateless; every method works in
 * the caller's connection.
 *
 * <p>The queries that select by {@code queue} name their index ({@code USE INDEX}). Several
 * indexes start with {@code queue}, and on a small table H2 chose {@code uq_jobs_key} (queue,
 * job_key) and filtered every job of the queue; a session keeps a statement's plan as long as it
 * keeps the statement (store/SessionPool), so a plan made while the table was small stayed. An
 * {@code UPDATE} takes no hint, so its rows are picked by a hinted {@code SELECT}.
 */
final class JobTable {
  static final String COLUMNS = "id, seq, queue, name, job_key, data, payload_version, cafe_id, status, priority, run_at,"
      + " delay_ms, attempts, attempts_made, backoff_type, backoff_delay_ms, backoff_jitter, keep_completed,"
      + " keep_completed_ms, keep_failed, keep_failed_ms, prerequisite_id, flow_id, flow_step, progress, stalls,"
      + " lease_until, failed_reason, version, created_at, started_at, finished_at";
  static final int MAX_REASON = 1000;

  private JobTable() {}

  /** Inserts a new job (status WAITING, DELAYED or BLOCKED) and returns its {@code seq}. */
  static long insert(Connection c, Job j) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("INSERT INTO jobs (id, queue, name, job_key, data, payload_version,"
        + " cafe_id, status, previous_status, priority, run_at, delay_ms, attempts, backoff_type, backoff_delay_ms,"
        + " backoff_jitter, keep_completed, keep_completed_ms, keep_failed, keep_failed_ms, prerequisite_id, flow_id,"
        + " flow_step, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", new String[] {"SEQ"})) {
      s.setObject(1, j.id());
      s.setString(2, j.queue());
      s.setString(3, j.name());
      s.setString(4, j.jobKey());
      s.setString(5, json(j));
      s.setInt(6, j.payloadVersion());
      s.setString(7, j.cafeId());
      s.setString(8, j.status().name());
      s.setString(9, JobStatus.NEW);
      s.setInt(10, j.priority());
      setInstant(s, 11, j.runAt());
      s.setLong(12, j.delay().toMillis());
      s.setInt(13, j.attempts());
      s.setString(14, j.backoff().type().name());
      s.setLong(15, j.backoff().delay().toMillis());
      s.setDouble(16, j.backoff().jitter());
      setRetention(s, 17, j.removeOnComplete());
      setRetention(s, 19, j.removeOnFail());
      s.setObject(21, j.prerequisiteId());
      s.setString(22, j.flowId());
      s.setString(23, j.flowStep());
      setInstant(s, 24, j.createdAt());
      s.executeUpdate();
      try (ResultSet keys = s.getGeneratedKeys()) {
        keys.next();
        return keys.getLong(1);
      }
    }
  }

  private static String json(Job j) {
    try {
      String text = Json.mapper().writeValueAsString(j.data());
      if (text.length() > JobSpec.MAX_DATA_CHARS) {
        throw new IllegalArgumentException("The job data is over " + JobSpec.MAX_DATA_CHARS / 1024 + " KiB");
      }
      return text;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("The job data cannot be written as JSON", e);
    }
  }

  static Optional<Job> find(Connection c, UUID id) throws SQLException {
    return one(c, "SELECT " + COLUMNS + " FROM jobs WHERE id = ?", id);
  }

  static Optional<Job> findByKey(Connection c, String queue, String key) throws SQLException {
    return one(c, "SELECT " + COLUMNS + " FROM jobs WHERE queue = ? AND job_key = ?", queue, key);
  }

  /**
   * The next WAITING jobs of {@code queue} with one of {@code names}, best first: priority, then
   * readiness, then insertion. Read without locks: the caller claims one with {@link #move}, whose
   * version check makes it the only winner.
   */
  static List<Candidate> candidates(Connection c, String queue, String[] names, int limit) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT id, version FROM jobs USE INDEX (ix_jobs_claim) WHERE queue = ? AND status = 'WAITING'"
        // the full index prefix in ORDER BY lets H2 walk ix_jobs_claim instead of sorting
        + " AND name = ANY(?) ORDER BY queue, status, priority, run_at, seq LIMIT ?")) {
      bind(s, queue, names, limit);
      try (ResultSet rs = s.executeQuery()) {
        List<Candidate> candidates = new ArrayList<>();
        while (rs.next()) {
          candidates.add(new Candidate(rs.getObject(1, UUID.class), rs.getLong(2)));
        }
        return candidates;
      }
    }
  }

  /** A WAITING job as the claim first sees it. */
  record Candidate(UUID id, long version) {}

  /**
   * WAITING → ACTIVE with a lease, if the row still has the candidate's version: one row changed
   * means this caller won the job.
   */
  static Optional<Job> claim(Connection c, Candidate candidate, Instant now, Instant leaseUntil) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("UPDATE jobs SET previous_status = status, status = 'ACTIVE',"
        + " version = version + 1, lease_until = ?, started_at = ? WHERE id = ? AND version = ? AND status = 'WAITING'")) {
      bind(s, leaseUntil, now, candidate.id(), candidate.version());
      if (s.executeUpdate() != 1) {
        return Optional.empty();
      }
    }
    return find(c, candidate.id());
  }

  /** DELAYED jobs of {@code queue} due by {@code now} become WAITING; returns how many. */
  static int promoteDue(Connection c, String queue, Instant now) throws SQLException {
    // UPDATE takes no index hint: the rows are chosen by a SELECT that does (see the class comment)
    try (PreparedStatement s = c.prepareStatement("UPDATE jobs SET previous_status = status, status = 'WAITING',"
        + " version = version + 1 WHERE id IN (SELECT id FROM jobs USE INDEX (ix_jobs_claim)"
        + " WHERE queue = ? AND status = 'DELAYED' AND run_at <= ?)")) {
      s.setString(1, queue);
      setInstant(s, 2, now);
      return s.executeUpdate();
    }
  }

  /** When the first DELAYED job of {@code queue} is due, if it has any. */
  static Optional<Instant> nextDue(Connection c, String queue) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT MIN(run_at) FROM jobs USE INDEX (ix_jobs_claim) WHERE queue = ? AND status = 'DELAYED'")) {
      s.setString(1, queue);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return Optional.ofNullable(getInstant(rs, 1));
      }
    }
  }

  static List<Job> expiredLeases(Connection c, String queue, Instant now) throws SQLException {
    return many(c, "SELECT " + COLUMNS + " FROM jobs USE INDEX (ix_jobs_claim) WHERE queue = ? AND status = 'ACTIVE' AND lease_until < ?"
        + " ORDER BY lease_until", queue, now);
  }

  static List<Job> dependants(Connection c, UUID prerequisite, JobStatus status) throws SQLException {
    return many(c, "SELECT " + COLUMNS + " FROM jobs WHERE prerequisite_id = ? AND status = ? ORDER BY seq",
        prerequisite, status.name());
  }

  static List<Job> inFlow(Connection c, String flowId) throws SQLException {
    return many(c, "SELECT " + COLUMNS + " FROM jobs WHERE flow_id = ? ORDER BY seq", flowId);
  }

  /**
   * Moves {@code job} to {@code to} if its row still has the version {@code job} was read at, and
   * sets {@code columns} (names of this table's columns, never input) with it.
   *
   * @return the row after the move, or empty if someone else changed the job first
   * @throws IllegalStateException if the move is not in the transition table
   */
  static Optional<Job> move(Connection c, Job job, JobStatus to, Map<String, Object> columns) throws SQLException {
    if (!job.status().canMoveTo(to)) {
      throw new IllegalStateException("A job cannot move from " + job.status() + " to " + to);
    }
    StringBuilder sql = new StringBuilder("UPDATE jobs SET previous_status = status, status = ?, version = version + 1");
    List<Object> values = new ArrayList<>();
    values.add(to.name());
    columns.forEach((column, value) -> {
      sql.append(", ").append(column).append(" = ?");
      values.add(value);
    });
    sql.append(" WHERE id = ? AND version = ?");
    values.add(job.id());
    values.add(job.version());
    try (PreparedStatement s = c.prepareStatement(sql.toString())) {
      bind(s, values.toArray());
      if (s.executeUpdate() != 1) {
        return Optional.empty();
      }
    }
    return find(c, job.id());
  }

  /** Column values for {@link #move}, in order. */
  static Map<String, Object> set(Object... namesAndValues) {
    Map<String, Object> columns = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      columns.put((String) namesAndValues[i], namesAndValues[i + 1]);
    }
    return columns;
  }

  /** Sets columns of an ACTIVE job without a change of status; false if the claim was lost. */
  static boolean updateActive(Connection c, UUID id, long version, String column, Object value) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("UPDATE jobs SET " + column + " = ? WHERE id = ? AND version = ?"
        + " AND status = 'ACTIVE'")) {
      bind(s, value, id, version);
      return s.executeUpdate() == 1;
    }
  }

  static boolean delete(Connection c, UUID id, long version) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("DELETE FROM jobs WHERE id = ? AND version = ?")) {
      bind(s, id, version);
      return s.executeUpdate() == 1;
    }
  }

  static Optional<Job> one(Connection c, String sql, Object... params) throws SQLException {
    List<Job> jobs = many(c, sql, params);
    return jobs.isEmpty() ? Optional.empty() : Optional.of(jobs.get(0));
  }

  static List<Job> many(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      bind(s, params);
      try (ResultSet rs = s.executeQuery()) {
        List<Job> jobs = new ArrayList<>();
        while (rs.next()) {
          jobs.add(job(rs));
        }
        return jobs;
      }
    }
  }

  static void bind(PreparedStatement s, Object... values) throws SQLException {
    for (int i = 0; i < values.length; i++) {
      Object v = values[i];
      if (v instanceof Instant instant) {
        setInstant(s, i + 1, instant);
      } else if (v instanceof String[] array) {
        s.setArray(i + 1, s.getConnection().createArrayOf("VARCHAR", array));
      } else if (v instanceof JobStatus status) {
        s.setString(i + 1, status.name());
      } else {
        s.setObject(i + 1, v);
      }
    }
  }

  static Job job(ResultSet rs) throws SQLException {
    Backoff backoff = new Backoff(Backoff.Type.valueOf(rs.getString("backoff_type")),
        Duration.ofMillis(rs.getLong("backoff_delay_ms")), rs.getDouble("backoff_jitter"));
    try {
      return new Job(rs.getObject("id", UUID.class), rs.getLong("seq"), rs.getString("queue"), rs.getString("name"),
          rs.getString("job_key"), Json.mapper().readTree(rs.getString("data")), rs.getInt("payload_version"),
          rs.getString("cafe_id"), JobStatus.valueOf(rs.getString("status")), rs.getInt("priority"),
          getInstant(rs, "run_at"), Duration.ofMillis(rs.getLong("delay_ms")), rs.getInt("attempts"),
          rs.getInt("attempts_made"), backoff, retention(rs, "keep_completed"), retention(rs, "keep_failed"),
          rs.getObject("prerequisite_id", UUID.class), rs.getString("flow_id"), rs.getString("flow_step"),
          rs.getInt("progress"), rs.getInt("stalls"), getInstant(rs, "lease_until"), rs.getString("failed_reason"),
          rs.getLong("version"), getInstant(rs, "created_at"), getInstant(rs, "started_at"),
          getInstant(rs, "finished_at"));
    } catch (JsonProcessingException e) {
      throw new SQLException("The data of a job is not JSON", e);
    }
  }

  private static Retention retention(ResultSet rs, String column) throws SQLException {
    int count = rs.getInt(column);
    Integer keep = rs.wasNull() ? null : count;
    long ms = rs.getLong(column + "_ms");
    return new Retention(keep, rs.wasNull() ? null : Duration.ofMillis(ms));
  }

  private static void setRetention(PreparedStatement s, int index, Retention r) throws SQLException {
    s.setObject(index, r.count());
    s.setObject(index + 1, r.age() == null ? null : r.age().toMillis());
  }

  static void setInstant(PreparedStatement s, int index, Instant instant) throws SQLException {
    s.setObject(index, instant == null ? null : instant.atOffset(ZoneOffset.UTC));
  }

  static Instant getInstant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  static Instant getInstant(ResultSet rs, int column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  /** A failure reason that fits its column. */
  static String reason(String reason) {
    return reason == null || reason.length() <= MAX_REASON ? reason : reason.substring(0, MAX_REASON - 1) + "…";
  }
}
