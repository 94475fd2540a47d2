package io.tabletap.server.queue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

/** Job keys kept after their job is gone ({@link JobSpec.Builder#rememberKey()}); SQL of {@code job_keys}. */
final class JobKeys {
  private JobKeys() {}

  static Optional<UUID> find(Connection c, String queue, String key) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT job_id FROM job_keys WHERE queue = ? AND job_key = ?")) {
      s.setString(1, queue);
      s.setString(2, key);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(rs.getObject(1, UUID.class)) : Optional.empty();
      }
    }
  }

  static void remember(Connection c, String queue, String key, UUID jobId, Instant at) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("INSERT INTO job_keys (queue, job_key, job_id, created_at) VALUES (?,?,?,?)")) {
      s.setString(1, queue);
      s.setString(2, key);
      s.setObject(3, jobId);
      s.setObject(4, at.atOffset(ZoneOffset.UTC));
      s.executeUpdate();
    }
  }
}
