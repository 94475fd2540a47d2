package io.tabletap.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.tabletap.server.realtime.EventLog;
import io.tabletap.server.realtime.LoggedEvent;
import io.tabletap.server.realtime.RoomEvent;
import io.tabletap.server.realtime.RoomKey;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The room event log: each event's JSON in its row (V011, decision 0019), whole; numbers that run
 * on from the newest event, without the room's row on the way (decision 0030).
 */
class JdbcEventLogTest {
  private static final Instant AT = Instant.parse("2026-11-26T15:00:00Z");
  private static final RoomKey KITCHEN = new RoomKey("demo", "cafe:demo:kitchen");

  @TempDir Path dir;
  Database db;
  JdbcEventLog log;

  @BeforeEach
  void open() {
    db = Database.open(dir, 2);
    new JdbcCafeStore(db).insert(io.tabletap.server.menu.DemoCafe.cafe());
    log = new JdbcEventLog(db);
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void anEventFarLongerThanAnInlineLobComesBackWholeAndInOrder() {
    String items = "x".repeat(20_000); // H2 moved text over 256 characters out of a LOB column's row
    log.append(List.of(new RoomEvent(KITCHEN, "new_paid_order", Map.of("items", items), AT),
        new RoomEvent(KITCHEN, "kitchen_display_updated", Map.of("orderNumber", 7), AT)));

    List<LoggedEvent> read = log.read(KITCHEN, 0, Long.MAX_VALUE, 10);

    assertThat(read).extracting(LoggedEvent::seq).containsExactly(1L, 2L);
    assertThat(read.get(0).dataJson()).isEqualTo("{\"items\":\"" + items + "\"}");
    assertThat(read.get(1).dataJson()).isEqualTo("{\"orderNumber\":7}");
  }

  @Test
  void eventDataAndCommandResultsAreRequiredTextStoredInTheRow() {
    assertThat(column("REALTIME_EVENTS", "DATA")).isEqualTo("CHARACTER VARYING 1048576 NO");
    assertThat(column("REALTIME_COMMAND_RESULTS", "RESULT")).isEqualTo("CHARACTER VARYING 1048576 NO");
  }

  @Test
  void eventsAndResultsStoredAsLobsBeforeV011ComeThroughTheMigrationWhole(@TempDir Path earlier) throws Exception {
    String big = "{\"items\":\"" + "y".repeat(5_000) + "\"}"; // over 256 characters: kept outside the row then
    try (java.sql.Connection c = EarlierDatabase.migratedTo(earlier, "10")) {
      EarlierDatabase.addKitchenEvent(c, big);
    }

    try (Database migrated = Database.open(earlier, 2)) {
      List<LoggedEvent> read = new JdbcEventLog(migrated).read(KITCHEN, 0, Long.MAX_VALUE, 10);

      assertThat(read).singleElement().satisfies(e -> assertThat(e.dataJson()).isEqualTo(big));
    }
  }

  @Test
  void anAppendNumbersOnWithoutWritingTheRoomsRow() {
    log.append(List.of(event("a"), event("b")));
    log.append(List.of(event("c")));

    assertThat(log.read(KITCHEN, 0, Long.MAX_VALUE, 10)).extracting(LoggedEvent::seq).containsExactly(1L, 2L, 3L);
    assertThat(log.position(KITCHEN)).isEqualTo(new EventLog.Position(3, 0));
    assertThat(count("SELECT last_seq FROM realtime_rooms WHERE room = 'cafe:demo:kitchen'")).isZero();
  }

  @Test
  void aNewLogNumbersOnFromTheNewestStoredEventAsAfterARestart() {
    log.append(List.of(event("a"), event("b")));

    JdbcEventLog restarted = new JdbcEventLog(db);

    assertThat(restarted.position(KITCHEN).lastSeq()).isEqualTo(2);
    assertThat(restarted.append(List.of(event("c")))).extracting(LoggedEvent::seq).containsExactly(3L);
  }

  @Test
  void theNewestNumberIsFoundAgainWhateverTheRoomsLength() {
    int stored = 0;
    for (int length : new int[] {1, 2, 3, 63, 64, 65, 1000}) {
      log.append(java.util.Collections.nCopies(length - stored, event("x")));
      stored = length;
      JdbcEventLog restarted = new JdbcEventLog(db); // nothing remembered: searched in the table

      assertThat(restarted.position(KITCHEN).lastSeq()).as("after %d events", length).isEqualTo(length);
    }
  }

  @Test
  void theLatestEventsAreTheNewestOldestFirstAndNoneThatWerePruned() {
    log.append(List.of(event("a"), event("b"), event("c"), event("d")));
    assertThat(log.latest(KITCHEN, 2)).extracting(LoggedEvent::event).containsExactly("c", "d");

    log.prune(AT.plusSeconds(1), 1);

    assertThat(log.latest(KITCHEN, 3)).extracting(LoggedEvent::event).containsExactly("d");
  }

  @Test
  void pruningKeepsTheNewestEventsOfEachCafeCountedSeparately() {
    RoomKey other = new RoomKey("other", "cafe:other:kitchen");
    for (int i = 0; i < 5; i++) { // interleaved: each cafe's newest are not the log's newest
      log.append(List.of(event("demo " + i)));
      if (i < 3) {
        log.append(List.of(new RoomEvent(other, "other " + i, Map.of(), AT)));
      }
    }

    assertThat(log.prune(AT.plusSeconds(1), 2)).isEqualTo(3 + 1);

    assertThat(log.read(KITCHEN, 0, Long.MAX_VALUE, 10)).extracting(LoggedEvent::event).containsExactly("demo 3", "demo 4");
    assertThat(log.read(other, 0, Long.MAX_VALUE, 10)).extracting(LoggedEvent::event).containsExactly("other 1", "other 2");
    assertThat(log.position(other)).isEqualTo(new EventLog.Position(3, 1));
  }

  @Test
  void aRoomForgottenForOthersNumbersOnFromTheTable() {
    JdbcEventLog small = new JdbcEventLog(db, 0, 2); // remembers two rooms
    small.append(List.of(event("a"), event("b")));
    for (int i = 0; i < 3; i++) {
      small.append(List.of(new RoomEvent(new RoomKey("demo", "order:" + java.util.UUID.randomUUID()), "x", Map.of(), AT)));
    }
    assertThat(small.remembers(KITCHEN)).isFalse();

    assertThat(small.append(List.of(event("c")))).extracting(LoggedEvent::seq).containsExactly(3L);
    assertThat(small.remembers(KITCHEN)).isTrue();
  }

  @Test
  void numbersGoOnAfterPruningTookEveryEventOfTheRoom() {
    log.append(List.of(event("a"), event("b"), event("c")));

    assertThat(log.prune(AT.plusSeconds(1), 0)).isEqualTo(3);
    JdbcEventLog restarted = new JdbcEventLog(db); // nothing remembered: only the row is left

    assertThat(restarted.position(KITCHEN)).isEqualTo(new EventLog.Position(3, 3));
    assertThat(restarted.append(List.of(event("d")))).extracting(LoggedEvent::seq).containsExactly(4L);
  }

  @Test
  void anAppendRolledBackWithItsTransactionLeavesNoGap() {
    log.append(List.of(event("a")));
    try {
      db.inTransaction(c -> {
        log.append(List.of(event("rolled back")));
        throw new IllegalStateException("the change the event reports failed");
      });
    } catch (IllegalStateException expected) {
      // rolled back, and committed() never told
    }

    assertThat(log.append(List.of(event("b")))).extracting(LoggedEvent::seq).containsExactly(2L);
    assertThat(log.read(KITCHEN, 0, Long.MAX_VALUE, 10)).extracting(LoggedEvent::event).containsExactly("a", "b");
  }

  @Test
  void aRunAfterACrashNumbersInABandAboveEveryEarlierNumber() {
    log.append(List.of(event("a"), event("b")));
    long band1 = 1L << JdbcEventLog.BAND_BITS;

    JdbcEventLog afterCrash = new JdbcEventLog(db, 1);

    assertThat(afterCrash.position(KITCHEN).lastSeq()).isEqualTo(2);
    assertThat(afterCrash.append(List.of(event("c"), event("d")))).extracting(LoggedEvent::seq)
        .containsExactly(band1 + 1, band1 + 2);
    assertThat(afterCrash.append(List.of(event("e")))).extracting(LoggedEvent::seq).containsExactly(band1 + 3);
    assertThat(log.read(KITCHEN, 0, Long.MAX_VALUE, 10)).extracting(LoggedEvent::event).containsExactly("a", "b", "c", "d", "e");
  }

  @Test
  void theNewestNumberIsFoundInTheNewestBandTheRoomHasAnEventIn() {
    log.append(List.of(event("a")));
    new JdbcEventLog(db, 2).append(List.of(event("b"), event("c"), event("d")));
    long band2 = 2L << JdbcEventLog.BAND_BITS;

    // a later run, in band 3 after another crash, nothing remembered: searched in the table
    JdbcEventLog later = new JdbcEventLog(db, 3);
    assertThat(later.position(KITCHEN).lastSeq()).isEqualTo(band2 + 3);
    // and a clean restart in band 2 numbers on in it
    assertThat(new JdbcEventLog(db, 2).append(List.of(event("e")))).extracting(LoggedEvent::seq).containsExactly(band2 + 4);
    // a room new in a later band starts at the band's first number
    RoomKey board = new RoomKey("demo", "cafe:demo:board");
    assertThat(later.append(List.of(new RoomEvent(board, "order_ready", Map.of(), AT)))).extracting(LoggedEvent::seq)
        .containsExactly((3L << JdbcEventLog.BAND_BITS) + 1);
  }

  @Test
  void aBandWhoseFirstEventsWerePrunedIsFoundFromTheRoomsRow() {
    log.append(List.of(event("a")));
    JdbcEventLog band1 = new JdbcEventLog(db, 1);
    band1.append(List.of(event("b")));
    band1.append(List.of(new RoomEvent(KITCHEN, "c", Map.of(), AT.plusSeconds(60))));

    assertThat(band1.prune(AT.plusSeconds(1), 1)).isEqualTo(2); // a and b: the band's first is gone
    long first = (1L << JdbcEventLog.BAND_BITS) + 1;

    JdbcEventLog restarted = new JdbcEventLog(db, 1);
    assertThat(restarted.position(KITCHEN)).isEqualTo(new EventLog.Position(first + 1, first));
    assertThat(restarted.append(List.of(event("d")))).extracting(LoggedEvent::seq).containsExactly(first + 2);
  }

  private static RoomEvent event(String name) {
    return new RoomEvent(KITCHEN, name, Map.of(), AT);
  }

  private long count(String sql) {
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }

  private String column(String table, String column) {
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT DATA_TYPE, CHARACTER_MAXIMUM_LENGTH, IS_NULLABLE "
          + "FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = ? AND COLUMN_NAME = ?")) {
        s.setString(1, table);
        s.setString(2, column);
        try (ResultSet rs = s.executeQuery()) {
          return rs.next() ? rs.getString(1) + " " + rs.getLong(2) + " " + rs.getString(3) : "missing";
        }
      }
    });
  }
}
