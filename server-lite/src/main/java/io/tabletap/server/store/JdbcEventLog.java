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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@link EventLog} on the {@code realtime_rooms} and {@code realtime_events} tables. */
public final class JdbcEventLog implements EventLog {
  private final Database db;

  public JdbcEventLog(Database db) {
    this.db = db;
  }

  @Override
  public List<LoggedEvent> append(List<RoomEvent> events) {
    List<String> data = events.stream().map(e -> Frames.json(e.data())).toList();
    return db.inTransaction(c -> {
      Map<RoomKey, Long> last = new LinkedHashMap<>();
      List<LoggedEvent> logged = new ArrayList<>();
      // prepared once for all the batch's rooms: H2 parses a FOR UPDATE query on every prepare (its
      // query cache skips them), and a webhook's events go to about four rooms
      try (PreparedStatement insert = c.prepareStatement(
          "INSERT INTO realtime_events (cafe_id, room, seq, event, data, occurred_at) VALUES (?,?,?,?,?,?)");
          PreparedStatement lock = c.prepareStatement(
              "SELECT last_seq FROM realtime_rooms WHERE cafe_id = ? AND room = ? FOR UPDATE")) {
        for (int i = 0; i < events.size(); i++) {
          RoomEvent e = events.get(i);
          long seq = (last.containsKey(e.room()) ? last.get(e.room()) : lockedLastSeq(c, lock, e.room())) + 1;
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
        try (PreparedStatement update = c.prepareStatement(
            "UPDATE realtime_rooms SET last_seq = ? WHERE cafe_id = ? AND room = ?")) {
          for (Map.Entry<RoomKey, Long> room : last.entrySet()) {
            update.setLong(1, room.getValue());
            update.setString(2, room.getKey().cafeId());
            update.setString(3, room.getKey().room());
            update.addBatch();
          }
          update.executeBatch();
        }
        insert.executeBatch();
      }
      return logged;
    });
  }

  /** The room's last number under a row lock, making the row (at 0) if the room is new. */
  private static long lockedLastSeq(Connection c, PreparedStatement lock, RoomKey room) throws SQLException {
    lock.setString(1, room.cafeId());
    lock.setString(2, room.room());
    try (ResultSet rs = lock.executeQuery()) {
      if (rs.next()) {
        return rs.getLong(1);
      }
    }
    try (PreparedStatement s = c.prepareStatement(
        "INSERT INTO realtime_rooms (cafe_id, room, last_seq, pruned_through) VALUES (?,?,0,0)")) {
      s.setString(1, room.cafeId());
      s.setString(2, room.room());
      s.executeUpdate();
    }
    return 0;
  }

  @Override
  public Position position(RoomKey room) {
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "SELECT last_seq, pruned_through FROM realtime_rooms WHERE cafe_id = ? AND room = ?")) {
        s.setString(1, room.cafeId());
        s.setString(2, room.room());
        try (ResultSet rs = s.executeQuery()) {
          return rs.next() ? new Position(rs.getLong(1), rs.getLong(2)) : new Position(0, 0);
        }
      }
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
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT seq, event, data, occurred_at FROM realtime_events "
          + "WHERE cafe_id = ? AND room = ? ORDER BY seq DESC LIMIT ?")) {
        s.setString(1, room.cafeId());
        s.setString(2, room.room());
        s.setInt(3, limit);
        try (ResultSet rs = s.executeQuery()) {
          List<LoggedEvent> events = new ArrayList<>();
          while (rs.next()) {
            events.add(0, new LoggedEvent(room, rs.getLong("seq"), rs.getString("event"), rs.getString("data"),
                Sql.getInstant(rs, "occurred_at")));
          }
          return events;
        }
      }
    });
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

  /** Deletes the cafe's events older than the cutoff with an id at or below its (N+1)th newest. */
  private static int pruneCafe(Connection c, String cafe, Instant cutoff, int keep) throws SQLException {
    long boundary;
    try (PreparedStatement s = c.prepareStatement(
        "SELECT id FROM realtime_events WHERE cafe_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?")) {
      s.setString(1, cafe);
      s.setInt(2, keep);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return 0;
        }
        boundary = rs.getLong(1);
      }
    }
    try (PreparedStatement s = c.prepareStatement("UPDATE realtime_rooms r SET pruned_through = ("
        + "SELECT MAX(e.seq) FROM realtime_events e WHERE e.cafe_id = r.cafe_id AND e.room = r.room AND e.id <= ? "
        + "AND e.occurred_at < ?) WHERE r.cafe_id = ? AND EXISTS (SELECT 1 FROM realtime_events e WHERE e.cafe_id = r.cafe_id "
        + "AND e.room = r.room AND e.id <= ? AND e.occurred_at < ?)")) {
      s.setLong(1, boundary);
      Sql.setInstant(s, 2, cutoff);
      s.setString(3, cafe);
      s.setLong(4, boundary);
      Sql.setInstant(s, 5, cutoff);
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
