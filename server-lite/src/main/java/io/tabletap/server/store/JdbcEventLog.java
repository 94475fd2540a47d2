package io.tabletap.server.store;

import io.tabletap.server.realtime.EventLog;
import io.tabletap.server.realtime.Frames;
import io.tabletap.server.realtime.LoggedEvent;
import io.tabletap.server.realtime.RoomEvent;
import io.tabletap.server.realtime.RoomKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link EventLog} on the {@code realtime_rooms} and {@code realtime_events} tables.
 *
 * <p>A room's last number is its newest event's, or its row's {@code last_seq} once pruning took
 * its events (decision 0030). An append does not lock or write the room's row: the callers hold
 * the room's lock (RoomHub) across the commit, and the numbers committed are remembered here
 * ({@link #committed}), so an append writes only its events. That row was 7 of the ~127 B-tree
 * pages a webhook's commit rewrote.
 *
 * <p>Numbers are {@code band · 2^40 + n} (decision 0032): a run of the server after a crash
 * numbers in a band above every earlier one ({@link ServerRuns}), so a number a screen saw from
 * a commit the crash took back is never given to another event. Within a band a room's numbers
 * run without a gap; a room's first event in a band is {@code band · 2^40 + 1}.
 */
public final class JdbcEventLog implements EventLog {
  /** Rooms whose last number is remembered: every order has rooms of its own, so they are many. */
  static final int REMEMBERED_ROOMS = 10_000;
  /** A band holds 2^40 numbers per room (a room of 500 events a second fills it in 70 years). */
  static final int BAND_BITS = 40;

  private final Database db;
  private final long band;
  /**
   * The last committed number of the rooms used most recently. Forgetting one is always safe: it
   * is read again from the table, which holds what committed (an append to the room holds the
   * room's lock until it has told {@link #committed}).
   */
  private final Map<RoomKey, Long> lastCommitted;

  /** A log numbering in band 0 (tests, tools). */
  public JdbcEventLog(Database db) {
    this(db, 0, REMEMBERED_ROOMS);
  }

  /** A log numbering in {@code band}: this run's ({@link ServerRuns#band()}). */
  public JdbcEventLog(Database db, long band) {
    this(db, band, REMEMBERED_ROOMS);
  }

  JdbcEventLog(Database db, long band, int rememberedRooms) {
    if (band < 0 || band >= 1L << (63 - BAND_BITS)) {
      throw new IllegalArgumentException("No band " + band);
    }
    this.db = db;
    this.band = band;
    this.lastCommitted = Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<RoomKey, Long> eldest) {
        return size() > rememberedRooms;
      }
    });
  }

  @Override
  public List<LoggedEvent> append(List<RoomEvent> events) {
    List<String> data = events.stream().map(e -> Frames.json(e.data())).toList();
    boolean ownTransaction = !db.inTransaction();
    List<LoggedEvent> appended = db.inTransaction(c -> {
      Map<RoomKey, Long> last = new HashMap<>();
      List<LoggedEvent> logged = new ArrayList<>();
      try (PreparedStatement insert = c.prepareStatement(
          "INSERT INTO realtime_events (cafe_id, room, seq, event, data, occurred_at) VALUES (?,?,?,?,?,?)")) {
        for (int i = 0; i < events.size(); i++) {
          RoomEvent e = events.get(i);
          long seq = Math.max(last.containsKey(e.room()) ? last.get(e.room()) : lastSeq(c, e.room()), base(band)) + 1;
          last.put(e.room(), seq);
          insert.setString(1, e.room().cafeId());
          insert.setString(2, e.room().room());
          insert.setLong(3, seq);
          insert.setString(4, e.event());
          insert.setString(5, data.get(i));
          Sql.setInstant(insert, 6, e.at());
          insert.addBatch();
          logged.add(new LoggedEvent(e.room(), seq, e.event(), data.get(i), e.at()));
        }
        insert.executeBatch();
      }
      return logged;
    });
    if (ownTransaction) {
      committed(appended); // it committed in db.inTransaction
    }
    return appended;
  }

  @Override
  public void committed(List<LoggedEvent> events) {
    for (LoggedEvent e : events) {
      lastCommitted.merge(e.room(), e.seq(), Math::max);
    }
  }

  /** Whether the room's last number is remembered (for tests). */
  boolean remembers(RoomKey room) {
    return lastCommitted.containsKey(room);
  }

  /** The room's last committed number: remembered, or read (making the room's row if it is new). */
  private long lastSeq(Connection c, RoomKey room) throws SQLException {
    Long known = lastCommitted.get(room);
    if (known != null) {
      return known;
    }
    Position stored = storedPosition(c, room);
    if (stored != null) {
      return stored.lastSeq();
    }
    try (PreparedStatement s = c.prepareStatement(
        "INSERT INTO realtime_rooms (cafe_id, room, last_seq, pruned_through) VALUES (?,?,0,0)")) {
      s.setString(1, room.cafeId());
      s.setString(2, room.room());
      s.executeUpdate();
    }
    return 0;
  }

  /**
   * The room's position as stored, null if it has no row. Its last number is its row's
   * {@code last_seq} (written by pruning only) or, if higher, its newest event's.
   */
  private Position storedPosition(Connection c, RoomKey room) throws SQLException {
    long rowLast;
    long prunedThrough;
    try (PreparedStatement s = c.prepareStatement(
        "SELECT last_seq, pruned_through FROM realtime_rooms WHERE cafe_id = ? AND room = ?")) {
      s.setString(1, room.cafeId());
      s.setString(2, room.room());
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        rowLast = rs.getLong(1);
        prunedThrough = rs.getLong(2);
      }
    }
    return new Position(newestSeq(c, room, rowLast), prunedThrough);
  }

  /** The first number of {@code band}, less one. */
  static long base(long band) {
    return band << BAND_BITS;
  }

  /**
   * The room's newest number, at least {@code from}. H2 scans an index only forwards, so "ORDER
   * BY seq DESC LIMIT 1" read every event of the room (400 ms for 200,000); but within a band a
   * room's stored numbers run without a gap from its last pruned one to its newest (an append
   * numbers on from what committed), so a galloping then binary search of point look-ups finds
   * the newest in 2·log2(n) of them. It starts in the newest band the room has an event in: one
   * above {@code from}'s begins at its first number (pruning moves {@code from} past any band
   * whose first events it took).
   */
  private long newestSeq(Connection c, RoomKey room, long from) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "SELECT 1 FROM realtime_events WHERE cafe_id = ? AND room = ? AND seq = ?")) {
      s.setString(1, room.cafeId());
      s.setString(2, room.room());
      long present = from;
      for (long b = band; b > (from >>> BAND_BITS); b--) {
        if (exists(s, base(b) + 1)) {
          present = base(b) + 1;
          break;
        }
      }
      long step = 1;
      while (exists(s, present + step)) {
        present += step;
        step *= 2;
      }
      long absent = present + step;
      while (absent - present > 1) {
        long mid = present + (absent - present) / 2;
        if (exists(s, mid)) {
          present = mid;
        } else {
          absent = mid;
        }
      }
      return present;
    }
  }

  private static boolean exists(PreparedStatement s, long seq) throws SQLException {
    s.setLong(3, seq);
    try (ResultSet rs = s.executeQuery()) {
      return rs.next();
    }
  }

  @Override
  public Position position(RoomKey room) {
    return db.read(c -> {
      Position stored = storedPosition(c, room);
      return stored == null ? new Position(0, 0) : stored;
    });
  }

  @Override
  public List<LoggedEvent> read(RoomKey room, long after, long upTo, int limit) {
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT seq, event, data, occurred_at FROM realtime_events "
          + "WHERE cafe_id = ? AND room = ? AND seq > ? AND seq <= ? ORDER BY seq LIMIT ?")) {
        s.setString(1, room.cafeId());
        s.setString(2, room.room());
        s.setLong(3, after);
        s.setLong(4, upTo);
        s.setInt(5, limit);
        try (ResultSet rs = s.executeQuery()) {
          List<LoggedEvent> events = new ArrayList<>();
          while (rs.next()) {
            events.add(new LoggedEvent(room, rs.getLong("seq"), rs.getString("event"), rs.getString("data"),
                Sql.getInstant(rs, "occurred_at")));
          }
          return events;
        }
      }
    });
  }

  @Override
  public List<LoggedEvent> latest(RoomKey room, int limit) {
    // a forward range from the newest number: "ORDER BY seq DESC LIMIT n" read the whole room
    long newest = position(room).lastSeq();
    return read(room, Math.max(0, newest - limit), newest, limit);
  }

  @Override
  public int prune(Instant cutoff, int keepPerCafe) {
    List<String> cafes = db.read(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT DISTINCT cafe_id FROM realtime_rooms");
          ResultSet rs = s.executeQuery()) {
        List<String> ids = new ArrayList<>();
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
        return ids;
      }
    });
    int deleted = 0;
    for (String cafe : cafes) {
      deleted += db.inTransaction(c -> pruneCafe(c, cafe, cutoff, keepPerCafe));
    }
    return deleted;
  }

  /**
   * Deletes the cafe's events older than the cutoff with an id at or below its (N+1)th newest.
   * Both look-ups read the cafe's events in id order (the primary key): there is no index by cafe
   * (V013), and H2 reads an index only forwards. Events added in between only make it keep more.
   */
  private static int pruneCafe(Connection c, String cafe, Instant cutoff, int keep) throws SQLException {
    long count;
    try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM realtime_events WHERE cafe_id = ?")) {
      s.setString(1, cafe);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        count = rs.getLong(1);
      }
    }
    if (count <= keep) {
      return 0;
    }
    long boundary;
    try (PreparedStatement s = c.prepareStatement(
        "SELECT id FROM realtime_events WHERE cafe_id = ? ORDER BY id LIMIT 1 OFFSET ?")) {
      s.setString(1, cafe);
      s.setLong(2, count - keep - 1);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return 0;
        }
        boundary = rs.getLong(1);
      }
    }
    // the row keeps the last number once its events are gone: an append no longer writes it
    String pruned = "(SELECT MAX(e.seq) FROM realtime_events e WHERE e.cafe_id = r.cafe_id AND e.room = r.room AND e.id <= ? "
        + "AND e.occurred_at < ?)";
    try (PreparedStatement s = c.prepareStatement("UPDATE realtime_rooms r SET pruned_through = " + pruned
        + ", last_seq = GREATEST(last_seq, " + pruned + ") WHERE r.cafe_id = ? AND EXISTS (SELECT 1 FROM realtime_events e "
        + "WHERE e.cafe_id = r.cafe_id AND e.room = r.room AND e.id <= ? AND e.occurred_at < ?)")) {
      s.setLong(1, boundary);
      Sql.setInstant(s, 2, cutoff);
      s.setLong(3, boundary);
      Sql.setInstant(s, 4, cutoff);
      s.setString(5, cafe);
      s.setLong(6, boundary);
      Sql.setInstant(s, 7, cutoff);
      s.executeUpdate();
    }
    try (PreparedStatement s = c.prepareStatement(
        "DELETE FROM realtime_events WHERE cafe_id = ? AND id <= ? AND occurred_at < ?")) {
      s.setString(1, cafe);
      s.setLong(2, boundary);
      Sql.setInstant(s, 3, cutoff);
      return s.executeUpdate();
    }
  }
}
