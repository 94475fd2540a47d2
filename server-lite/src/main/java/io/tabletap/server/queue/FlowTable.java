package io.tabletap.server.queue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * The SQL of {@code job_flows} (V005). A flow row counts the jobs of the flow not yet completed;
 * each change goes through the row lock, so exactly one completion sees the count reach 0, and
 * exactly one failure moves a RUNNING flow to FAILED.
 */
final class FlowTable {
  private FlowTable() {}

  enum FlowStatus { RUNNING, COMPLETED, FAILED }

  record FlowRow(String id, String cafeId, FlowStatus status, int jobCount, int remaining) {}

  static boolean exists(Connection c, String flowId) throws SQLException {
    return find(c, flowId).isPresent();
  }

  static Optional<FlowRow> find(Connection c, String flowId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT id, cafe_id, status, job_count, remaining FROM job_flows WHERE id = ?")) {
      s.setString(1, flowId);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(new FlowRow(rs.getString(1), rs.getString(2), FlowStatus.valueOf(rs.getString(3)), rs.getInt(4),
            rs.getInt(5)));
      }
    }
  }

  static void insert(Connection c, String flowId, String cafeId, int jobCount, Instant now) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("INSERT INTO job_flows (id, cafe_id, status, job_count, remaining,"
        + " created_at) VALUES (?, ?, 'RUNNING', ?, ?, ?)")) {
      JobTable.bind(s, flowId, cafeId, jobCount, jobCount, now);
      s.executeUpdate();
    }
  }

  /**
   * Counts one more completed job of the flow.
   *
   * @return the flow row after the count, COMPLETED (and with {@code finished_at}) if that was the last one
   */
  static FlowRow stepCompleted(Connection c, String flowId, Instant now) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("UPDATE job_flows SET remaining = remaining - 1 WHERE id = ?")) {
      s.setString(1, flowId);
      s.executeUpdate();
    }
    try (PreparedStatement s = c.prepareStatement("UPDATE job_flows SET status = 'COMPLETED', finished_at = ?"
        + " WHERE id = ? AND remaining = 0")) {
      JobTable.bind(s, now, flowId);
      s.executeUpdate();
    }
    return find(c, flowId).orElseThrow();
  }

  /** RUNNING → FAILED; true if this call made the move (and so reports it). */
  static boolean fail(Connection c, String flowId, Instant now) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("UPDATE job_flows SET status = 'FAILED', finished_at = ?"
        + " WHERE id = ? AND status = 'RUNNING'")) {
      JobTable.bind(s, now, flowId);
      return s.executeUpdate() == 1;
    }
  }

  /** FAILED → RUNNING, when one of its jobs is retried by hand. */
  static void resume(Connection c, String flowId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("UPDATE job_flows SET status = 'RUNNING', finished_at = NULL"
        + " WHERE id = ? AND status = 'FAILED'")) {
      s.setString(1, flowId);
      s.executeUpdate();
    }
  }
}
