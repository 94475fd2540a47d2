package io.tabletap.server.audit;

import io.tabletap.server.store.Database;
import io.tabletap.server.store.JdbcAuditStore;
import io.tabletap.server.testing.MutableClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An {@link AuditLog} on a real, migrated H2 file in a test's directory, with a clock the test
 * moves, and a plain JDBC connection for doing to the table what an intruder would.
 */
final class AuditOnH2 implements AutoCloseable {
  /** Small, so that a few hundred rows make verify() read several pages. */
  static final int VERIFY_PAGE = 64;
  static final Instant START = Instant.parse("2026-11-25T23:00:00Z");

  final Database db;
  final MutableClock clock = new MutableClock(START);
  final AuditLog log;

  AuditOnH2(Path dir) {
    db = Database.open(dir, 16);
    log = new AuditLog(new JdbcAuditStore(db), clock, VERIFY_PAGE);
  }

  /** Appends {@code count} rows of a test type, one second apart. */
  List<AuditRecord> appendRows(int count) {
    for (int i = 1; i <= count; i++) {
      clock.advance(java.time.Duration.ofSeconds(1));
      log.append(AuditEntry.of("test.step", "device-" + (i % 3), "subject-" + (i % 5))
          .withReason("step " + i)
          .withCafe("demo")
          .withDetails(Map.of("n", i, "amount", 100L * i)));
    }
    return all();
  }

  List<AuditRecord> all() {
    return log.list(AuditFilter.ALL, AuditLog.MAX_LIMIT, 0);
  }

  /** Runs one statement outside the log, as someone with write access to the database file could. */
  int execute(String sql, Object... args) {
    try (Connection c = db.dataSource().getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        s.setObject(i + 1, args[i]);
      }
      return s.executeUpdate();
    } catch (SQLException e) {
      throw new AssertionError(sql + " failed", e);
    }
  }

  @Override
  public void close() {
    db.close();
  }
}
