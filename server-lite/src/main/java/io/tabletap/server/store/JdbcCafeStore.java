package io.tabletap.server.store;

import io.tabletap.server.domain.Cafe;
import io.tabletap.server.domain.TaxPolicy;
import io.tabletap.server.domain.TaxPolicy.TaxMode;
import io.tabletap.server.domain.TaxRate;
import io.tabletap.server.menu.CafeStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Currency;
import java.util.Optional;

public final class JdbcCafeStore implements CafeStore {
  private final Database db;

  public JdbcCafeStore(Database db) {
    this.db = db;
  }

  @Override
  public Optional<Cafe> find(String cafeId) {
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT * FROM cafes WHERE id = ?")) {
        s.setString(1, cafeId);
        try (ResultSet rs = s.executeQuery()) {
          if (!rs.next()) {
            return Optional.empty();
          }
          return Optional.of(new Cafe(rs.getString("id"), rs.getString("name"),
              Currency.getInstance(rs.getString("currency")),
              new TaxPolicy(TaxMode.valueOf(rs.getString("tax_mode")), new TaxRate(rs.getInt("tax_rate_bp"))),
              ZoneId.of(rs.getString("zone_id")), rs.getObject("business_day_start", LocalTime.class),
              rs.getInt("cash_rounding")));
        }
      }
    });
  }

  @Override
  public void insert(Cafe cafe) {
    db.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "INSERT INTO cafes (id, name, currency, tax_mode, tax_rate_bp, zone_id, business_day_start, cash_rounding) VALUES (?,?,?,?,?,?,?,?)")) {
        s.setString(1, cafe.id());
        s.setString(2, cafe.name());
        s.setString(3, cafe.currency().getCurrencyCode());
        s.setString(4, cafe.taxPolicy().mode().name());
        s.setInt(5, cafe.taxPolicy().rate().basisPoints());
        s.setString(6, cafe.zone().getId());
        s.setObject(7, cafe.businessDayStart());
        s.setInt(8, cafe.cashRounding());
        return s.executeUpdate();
      }
    });
  }
}
