package io.tabletap.server.store;

import io.tabletap.server.payment.qrbank.BankAccount;
import io.tabletap.server.payment.qrbank.BankSettings;
import io.tabletap.server.payment.qrbank.BankSettingsStore;
import io.tabletap.server.payment.qrbank.QrFormat;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;

/** {@code cafe_bank_settings}: one row per cafe that takes QR bank transfers. */
public final class JdbcBankSettingsStore implements BankSettingsStore {
  private final Database db;
  private final Clock clock;

  public JdbcBankSettingsStore(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  @Override
  public Optional<BankSettings> find(String cafeId) {
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT * FROM cafe_bank_settings WHERE cafe_id = ?")) {
        s.setString(1, cafeId);
        try (ResultSet rs = s.executeQuery()) {
          if (!rs.next()) {
            return Optional.empty();
          }
          BankAccount account = new BankAccount(rs.getString("account_name"), rs.getString("bsb"), rs.getString("account_number"),
              rs.getString("iban"), rs.getString("bic"));
          QrFormat format = QrFormat.fromCode(rs.getString("qr_format"))
              .orElseThrow(() -> new IllegalStateException("Unknown QR format in cafe_bank_settings"));
          return Optional.of(new BankSettings(rs.getString("cafe_id"), account, format, rs.getInt("expiry_minutes")));
        }
      }
    });
  }

  @Override
  public void save(BankSettings settings) {
    db.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement("MERGE INTO cafe_bank_settings (cafe_id, account_name, bsb, account_number,"
          + " iban, bic, qr_format, expiry_minutes, updated_at) KEY (cafe_id) VALUES (?,?,?,?,?,?,?,?,?)")) {
        bind(s, settings);
        return s.executeUpdate();
      }
    });
  }

  @Override
  public boolean insertIfAbsent(BankSettings settings) {
    try {
      return db.inTransaction(c -> insert(c, settings));
    } catch (StoreException e) {
      if (e.getCause() instanceof SQLException sql && Sql.isDuplicateKey(sql)) {
        return false;
      }
      throw e;
    }
  }

  private boolean insert(Connection c, BankSettings settings) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("INSERT INTO cafe_bank_settings (cafe_id, account_name, bsb, account_number,"
        + " iban, bic, qr_format, expiry_minutes, updated_at) VALUES (?,?,?,?,?,?,?,?,?)")) {
      bind(s, settings);
      return s.executeUpdate() == 1;
    }
  }

  private void bind(PreparedStatement s, BankSettings settings) throws SQLException {
    BankAccount a = settings.account();
    s.setString(1, settings.cafeId());
    s.setString(2, a.accountName());
    s.setString(3, a.bsb());
    s.setString(4, a.accountNumber());
    s.setString(5, a.iban());
    s.setString(6, a.bic());
    s.setString(7, settings.format().code());
    s.setInt(8, settings.expiryMinutes());
    Sql.setInstant(s, 9, clock.instant());
  }
}
