package io.tabletap.server.store;

import io.tabletap.server.config.PrivateFiles;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;

/** A database left at an earlier migration, as an install made before it has it: for migration tests. */
final class EarlierDatabase {
  private static final String PASSWORD = "test-password";

  private EarlierDatabase() {}

  /** Creates the database in {@code dir} migrated up to {@code version} only; a connection to it (close it). */
  static Connection migratedTo(Path dir, String version) throws Exception {
    PrivateFiles.writeNew(dir.resolve(Database.PASSWORD_FILE), PASSWORD);
    Flyway.configure().dataSource(Database.url(dir, Database.DEFAULT_STORE_INTERVAL), Database.USER, PASSWORD)
        .locations("classpath:db/migration").target(version).load().migrate();
    return DriverManager.getConnection(Database.url(dir, Database.DEFAULT_STORE_INTERVAL), Database.USER, PASSWORD);
  }

  /** The demo cafe, with {@code new_paid_order} as event 1 of its kitchen room, carrying {@code data}. */
  static void addKitchenEvent(Connection c, String data) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("INSERT INTO cafes (id, name, currency, tax_mode, tax_rate_bp, zone_id, business_day_start) "
          + "VALUES ('demo', 'Demo', 'AUD', 'INCLUSIVE', 1000, 'Australia/Sydney', TIME '04:00:00')");
      s.execute("INSERT INTO realtime_rooms (cafe_id, room, last_seq, pruned_through) VALUES ('demo', 'cafe:demo:kitchen', 1, 0)");
      s.execute("INSERT INTO realtime_events (cafe_id, room, seq, event, data, occurred_at) VALUES "
          + "('demo', 'cafe:demo:kitchen', 1, 'new_paid_order', '" + data + "', TIMESTAMP WITH TIME ZONE '2026-11-26 15:00:00Z')");
    }
  }
}
