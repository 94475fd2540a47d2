package io.tabletap.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every webhook's commit rewrites a page path in each index of these tables, so each index here is
 * a choice (decision 0026): a foreign key would bring back an index of its own columns, since H2
 * never lets one use a wider index.
 */
class HotTableIndexesTest {
  @TempDir Path dir;
  Database db;

  @BeforeEach
  void open() {
    db = Database.open(dir, 2);
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void theEventLogIsIndexedByRoomSequenceOnly() {
    // V013 dropped (cafe_id, id): pruning reads the primary key's order (decision 0030)
    assertThat(indexedColumns("REALTIME_EVENTS")).containsExactlyInAnyOrder("ID", "CAFE_ID,ROOM,SEQ");
    assertThat(foreignKeys("REALTIME_EVENTS")).isZero();
  }

  @Test
  void roomsAndStatusHistoryHaveTheirKeysAndNothingElse() {
    assertThat(indexedColumns("REALTIME_ROOMS")).containsExactly("CAFE_ID,ROOM");
    assertThat(indexedColumns("ORDER_STATUS_HISTORY")).containsExactly("ORDER_ID,VERSION");
    assertThat(foreignKeys("REALTIME_ROOMS")).isZero();
    assertThat(foreignKeys("ORDER_STATUS_HISTORY")).isZero();
  }

  @Test
  void aDatabaseMadeBeforeV012KeepsItsRowsAndLosesOnlyTheKeys(@TempDir Path earlier) throws Exception {
    try (java.sql.Connection c = EarlierDatabase.migratedTo(earlier, "11")) {
      EarlierDatabase.addKitchenEvent(c, "{}");
      assertThat(foreignKeys(c, "REALTIME_EVENTS")).isEqualTo(1);
    }

    try (Database migrated = Database.open(earlier, 2)) {
      int keys = migrated.read(c -> foreignKeys(c, "REALTIME_EVENTS") + foreignKeys(c, "REALTIME_ROOMS")
          + foreignKeys(c, "ORDER_STATUS_HISTORY"));
      List<io.tabletap.server.realtime.LoggedEvent> events = new JdbcEventLog(migrated)
          .read(new io.tabletap.server.realtime.RoomKey("demo", "cafe:demo:kitchen"), 0, Long.MAX_VALUE, 10);

      assertThat(keys).isZero();
      assertThat(events).extracting(io.tabletap.server.realtime.LoggedEvent::event).containsExactly("new_paid_order");
    }
  }

  /** Each index of the table as its comma-separated columns, in index order. */
  private List<String> indexedColumns(String table) {
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT INDEX_NAME, COLUMN_NAME FROM INFORMATION_SCHEMA.INDEX_COLUMNS "
          + "WHERE TABLE_SCHEMA = SCHEMA() AND TABLE_NAME = ? ORDER BY INDEX_NAME, ORDINAL_POSITION")) {
        s.setString(1, table);
        Map<String, List<String>> columns = new LinkedHashMap<>();
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            columns.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
          }
        }
        return columns.values().stream().map(cols -> String.join(",", cols)).toList();
      }
    });
  }

  private int foreignKeys(String table) {
    return db.read(c -> foreignKeys(c, table));
  }

  private static int foreignKeys(java.sql.Connection c, String table) throws java.sql.SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS "
        + "WHERE TABLE_SCHEMA = SCHEMA() AND TABLE_NAME = ? AND CONSTRAINT_TYPE = 'FOREIGN KEY'")) {
      s.setString(1, table);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }
}
