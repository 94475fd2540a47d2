package io.tabletap.server.store;

import io.tabletap.server.device.PairingCode;
import io.tabletap.server.device.PairingStore;
import io.tabletap.server.device.Role;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** {@link PairingStore} on the {@code pairing_codes} table. */
public final class JdbcPairingStore implements PairingStore {
  private static final String LIVE = "used_at IS NULL AND expires_at > ? AND failed_attempts < ?";

  private final Database db;

  public JdbcPairingStore(Database db) {
    this.db = db;
  }

  @Override
  public void insert(PairingCode code) {
    db.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement("INSERT INTO pairing_codes (id, cafe_id, code, created_by, creator_role, "
          + "created_at, expires_at, failed_attempts) VALUES (?,?,?,?,?,?,?,?)")) {
        s.setObject(1, code.id());
        s.setString(2, code.cafeId());
        s.setString(3, code.code());
        s.setObject(4, code.createdBy());
        s.setString(5, code.creatorRole().name());
        Sql.setInstant(s, 6, code.createdAt());
        Sql.setInstant(s, 7, code.expiresAt());
        s.setInt(8, code.failedAttempts());
        return s.executeUpdate();
      }
    });
  }

  @Override
  public Optional<PairingCode> findLive(String code, Instant now, int maxFailedAttempts) {
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT * FROM pairing_codes WHERE code = ? AND " + LIVE)) {
        s.setString(1, code);
        Sql.setInstant(s, 2, now);
        s.setInt(3, maxFailedAttempts);
        try (ResultSet rs = s.executeQuery()) {
          if (!rs.next()) {
            return Optional.empty();
          }
          return Optional.of(new PairingCode(rs.getObject("id", UUID.class), rs.getString("cafe_id"), rs.getString("code"),
              rs.getObject("created_by", UUID.class), Role.valueOf(rs.getString("creator_role")), Sql.getInstant(rs, "created_at"),
              Sql.getInstant(rs, "expires_at"), rs.getInt("failed_attempts"), Sql.getInstant(rs, "used_at")));
        }
      }
    });
  }

  @Override
  public boolean consume(UUID id, Instant now, int maxFailedAttempts) {
    return db.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement("UPDATE pairing_codes SET used_at = ? WHERE id = ? AND " + LIVE)) {
        Sql.setInstant(s, 1, now);
        s.setObject(2, id);
        Sql.setInstant(s, 3, now);
        s.setInt(4, maxFailedAttempts);
        return s.executeUpdate() == 1;
      }
    });
  }

  @Override
  public void linkDevice(UUID id, UUID deviceId) {
    db.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement("UPDATE pairing_codes SET device_id = ? WHERE id = ?")) {
        s.setObject(1, deviceId);
        s.setObject(2, id);
        return s.executeUpdate();
      }
    });
  }

  @Override
  public int countFailure(Instant now, int maxFailedAttempts) {
    return db.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement("UPDATE pairing_codes SET failed_attempts = failed_attempts + 1 WHERE " + LIVE)) {
        Sql.setInstant(s, 1, now);
        s.setInt(2, maxFailedAttempts);
        return s.executeUpdate();
      }
    });
  }
}
