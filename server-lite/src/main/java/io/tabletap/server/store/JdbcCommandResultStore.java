package io.tabletap.server.store;

import io.tabletap.server.realtime.CommandResultStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** {@link CommandResultStore} on the {@code realtime_command_results} table. */
public final class JdbcCommandResultStore implements CommandResultStore {
  private final Database db;

  public JdbcCommandResultStore(Database db) {
    this.db = db;
  }

  @Override
  public Optional<Stored> find(UUID deviceId, String commandId) {
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "SELECT name, ok, result FROM realtime_command_results WHERE device_id = ? AND command_id = ?")) {
        s.setObject(1, deviceId);
        s.setString(2, commandId);
        try (ResultSet rs = s.executeQuery()) {
          return rs.next() ? Optional.of(new Stored(rs.getString(1), rs.getBoolean(2), rs.getString(3))) : Optional.empty();
        }
      }
    });
  }

  @Override
  public Stored save(UUID deviceId, String commandId, Stored result, Instant at) {
    try {
      db.inTransaction(c -> {
        try (PreparedStatement s = c.prepareStatement(
            "INSERT INTO realtime_command_results (device_id, command_id, name, ok, result, created_at) VALUES (?,?,?,?,?,?)")) {
          s.setObject(1, deviceId);
          s.setString(2, commandId);
          s.setString(3, result.name());
          s.setBoolean(4, result.ok());
          s.setString(5, result.json());
          Sql.setInstant(s, 6, at);
          return s.executeUpdate();
        }
      });
      return result;
    } catch (StoreException e) {
      if (e.getCause() instanceof SQLException sql && Sql.isDuplicateKey(sql)) {
        return find(deviceId, commandId).orElseThrow();
      }
      throw e;
    }
  }
}
