package io.tabletap.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tabletap.server.audit.AuditEntry;
import io.tabletap.server.audit.AuditFilter;
import io.tabletap.server.audit.AuditLog;
import io.tabletap.server.realtime.EventLog;
import io.tabletap.server.realtime.LoggedEvent;
import io.tabletap.server.realtime.RealtimeConfig;
import io.tabletap.server.realtime.RoomEvent;
import io.tabletap.server.realtime.RoomHub;
import io.tabletap.server.realtime.RoomKey;
import io.tabletap.server.testing.RecordingPeer;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Room events and audit rows recorded inside a transaction commit with it (the outbox of
 * decision 0018): stored as its last writes, delivered only after the commit, gone with a
 * rollback; a failure to store them rolls the change back.
 */
class RoomEventsInTransactionTest {
  private static final Instant AT = Instant.parse("2026-11-26T02:00:00Z");
  private static final RoomKey KITCHEN = new RoomKey("demo", "cafe:demo:kitchen");

  @TempDir Path dir;
  Database db;
  final AtomicBoolean logFails = new AtomicBoolean();
  RoomHub hub;
  AuditLog audit;
  final RecordingPeer peer = new RecordingPeer();

  @BeforeEach
  void open() {
    db = Database.open(dir, 4);
    new JdbcCafeStore(db).insert(io.tabletap.server.menu.DemoCafe.cafe());
    db.inTransaction(c -> c.createStatement().execute("CREATE TABLE change (v INT PRIMARY KEY)"));
    JdbcEventLog real = new JdbcEventLog(db);
    EventLog log = new EventLog() {
      @Override
      public List<LoggedEvent> append(List<RoomEvent> events) {
        if (logFails.get()) {
          throw new StoreException("the log refuses", null);
        }
        return real.append(events);
      }

      @Override
      public void committed(List<LoggedEvent> events) {
        real.committed(events);
      }

      @Override
      public Position position(RoomKey room) {
        return real.position(room);
      }

      @Override
      public List<LoggedEvent> read(RoomKey room, long after, long upTo, int limit) {
        return real.read(room, after, upTo, limit);
      }

      @Override
      public List<LoggedEvent> latest(RoomKey room, int limit) {
        return real.latest(room, limit);
      }

      @Override
      public int prune(Instant cutoff, int keepPerCafe) {
        return real.prune(cutoff, keepPerCafe);
      }
    };
    Clock clock = Clock.fixed(AT, ZoneOffset.UTC);
    hub = new RoomHub(log, key -> Map.of(), RealtimeConfig.defaults(), clock, db);
    audit = new AuditLog(new JdbcAuditStore(db), clock, db);
    hub.subscribe(peer, KITCHEN, null);
    peer.frames.clear(); // the "subscribed" frame
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void eventsAreStoredWithTheChangeAndSentOnlyAfterTheCommit() {
    db.inTransaction(c -> {
      change(1);
      hub.publish(List.of(event("new_paid_order")));
      audit.record(AuditEntry.of("test.change", "system", "1"));
      assertThat(peer.frames).as("nothing is sent before the commit").isEmpty();
      assertThat(committedEvents()).isZero();
      return null;
    });
    assertThat(peer.frames).hasSize(1);
    assertThat(peer.frames.get(0)).contains("\"event\":\"new_paid_order\"").contains("\"seq\":1");
    assertThat(committedEvents()).isEqualTo(1);
    assertThat(audit.list(AuditFilter.ALL, 10, 0)).extracting(r -> r.type()).containsExactly("test.change");
  }

  @Test
  void aRolledBackChangeLeavesNoEventNoAuditRowAndSendsNothing() {
    assertThatThrownBy(() -> db.inTransaction(c -> {
      change(1);
      hub.publish(List.of(event("new_paid_order")));
      audit.record(AuditEntry.of("test.change", "system", "1"));
      throw new IllegalStateException("the change fails after its events were published");
    })).hasMessageContaining("fails");

    assertThat(peer.frames).isEmpty();
    assertThat(committedEvents()).isZero();
    assertThat(audit.list(AuditFilter.ALL, 10, 0)).isEmpty();
    // the room's numbering did not move: the next event is 1
    hub.publish(List.of(event("order_state_changed")));
    assertThat(peer.frames.get(0)).contains("\"seq\":1");
  }

  @Test
  void whenTheEventsCannotBeStoredTheChangeIsRolledBack() {
    logFails.set(true);
    assertThatThrownBy(() -> db.inTransaction(c -> {
      change(1);
      audit.record(AuditEntry.of("test.change", "system", "1"));
      hub.publish(List.of(event("new_paid_order")));
      return null;
    })).hasMessageContaining("the log refuses");

    assertThat(changes()).isEmpty();
    assertThat(audit.list(AuditFilter.ALL, 10, 0)).isEmpty();
    assertThat(peer.frames).isEmpty();
  }

  @Test
  void theRowsOfATransactionAreWrittenTogetherAsOneChainEachDedupeKeyOnce() {
    audit.append(AuditEntry.of("test.before", "system", "0").withDedupeKey("k:already"));
    db.inTransaction(c -> {
      audit.record(AuditEntry.of("test.a", "system", "1").withDedupeKey("k:already")); // exists: nothing new
      audit.record(AuditEntry.of("test.b", "system", "2").withDedupeKey("k:new"));
      audit.record(AuditEntry.of("test.c", "system", "3"));
      audit.record(AuditEntry.of("test.d", "system", "4").withDedupeKey("k:new")); // twice in one transaction
      assertThat(audit.list(AuditFilter.ALL, 10, 0)).as("nothing before the commit").hasSize(1);
      return null;
    });

    assertThat(audit.list(AuditFilter.ALL, 10, 0)).extracting(r -> r.type() + "#" + r.seq())
        .containsExactly("test.before#1", "test.b#2", "test.c#3");
    assertThat(audit.verify().ok()).isTrue();
  }

  private static RoomEvent event(String name) {
    return new RoomEvent(KITCHEN, name, Map.of("orderNumber", 7), AT);
  }

  private void change(int v) {
    db.inTransaction(c -> c.createStatement().executeUpdate("INSERT INTO change VALUES (" + v + ")"));
  }

  private List<Integer> changes() {
    return db.read(c -> {
      List<Integer> values = new ArrayList<>();
      try (ResultSet rs = c.createStatement().executeQuery("SELECT v FROM change")) {
        while (rs.next()) {
          values.add(rs.getInt(1));
        }
      }
      return values;
    });
  }

  /** Events committed, as another connection sees them. */
  private int committedEvents() {
    try (var c = db.dataSource().getConnection(); ResultSet rs = c.createStatement().executeQuery(
        "SELECT COUNT(*) FROM realtime_events")) {
      rs.next();
      return rs.getInt(1);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
