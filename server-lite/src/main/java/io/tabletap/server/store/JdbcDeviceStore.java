package io.tabletap.server.store;

import io.tabletap.server.device.Device;
import io.tabletap.server.device.DeviceStore;
import io.tabletap.server.device.Role;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

public final class JdbcDeviceStore implements DeviceStore {
  private final Database db;

  public JdbcDeviceStore(Database db) {
    this.db = db;
  }

  @Override
  public void insert(Device device, String tokenHash) {
    db.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "INSERT INTO devices (id, cafe_id, name, role, token_hash, created_at, revoked_at) VALUES (?,?,?,?,?,?,?)")) {
        s.setObject(1, device.id());
        s.setString(2, device.cafeId());
        s.setString(3, device.name());
        s.setString(4, device.role().name());
        s.setString(5, tokenHash);
        Sql.setInstant(s, 6, device.createdAt());
        Sql.setInstant(s, 7, device.revokedAt());
        return s.executeUpdate();
      }
    });
  }

  @Override
  public Optional<Device> findByTokenHash(String tokenHash) {
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT * FROM devices WHERE token_hash = ?")) {
        s.setString(1, tokenHash);
        try (ResultSet rs = s.executeQuery()) {
          return rs.next() ? Optional.of(device(rs)) : Optional.empty();
        }
      }
    });
  }

  @Override
  public List<Device> list(String cafeId) {
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT * FROM devices WHERE cafe_id = ? ORDER BY created_at")) {
        s.setString(1, cafeId);
        try (ResultSet rs = s.executeQuery()) {
          List<Device> devices = new ArrayList<>();
          while (rs.next()) {
            devices.add(device(rs));
          }
          return devices;
        }
      }
    });
  }

  @Override
  public boolean anyActive(String cafeId, Role role) {
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "SELECT COUNT(*) FROM devices WHERE cafe_id = ? AND role = ? AND revoked_at IS NULL")) {
        s.setString(1, cafeId);
        s.setString(2, role.name());
        try (ResultSet rs = s.executeQuery()) {
          rs.next();
          return rs.getLong(1) > 0;
        }
      }
    });
  }

  @Override
  public Optional<Device> find(UUID id) {
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT * FROM devices WHERE id = ?")) {
        s.setObject(1, id);
        try (ResultSet rs = s.executeQuery()) {
          return rs.next() ? Optional.of(device(rs)) : Optional.empty();
        }
      }
    });
  }

  @Override
  public boolean revoke(UUID id, java.time.Instant at) {
    return db.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement("UPDATE devices SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")) {
        Sql.setInstant(s, 1, at);
        s.setObject(2, id);
        return s.executeUpdate() == 1;
      }
    });
  }

  private static Device device(ResultSet rs) throws SQLException {
    return new Device(rs.getObject("id", UUID.class), rs.getString("cafe_id"), rs.getString("name"),
        Role.valueOf(rs.getString("role")), Sql.getInstant(rs, "created_at"), Sql.getInstant(rs, "revoked_at"));
  }
}
