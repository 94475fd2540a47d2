package io.tabletap.server.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Currency;
import java.util.Objects;

/**
 * A cafe: the tenant every order, device and menu belongs to.
 *
 * @param businessDayStart the local time at which a new business day (and order numbering)
 *     starts; 04:00 lets a late shift past midnight keep its numbers.
 * @param cashRounding cash totals are rounded to a multiple of this many minor units (AUD: 5,
 *     the smallest coin); 1 means no rounding
 */
public record Cafe(
    String id, String name, Currency currency, TaxPolicy taxPolicy, ZoneId zone, LocalTime businessDayStart, int cashRounding) {

  public Cafe(String id, String name, Currency currency, TaxPolicy taxPolicy, ZoneId zone, LocalTime businessDayStart) {
    this(id, name, currency, taxPolicy, zone, businessDayStart, 1);
  }

  public Cafe {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(currency, "currency");
    Objects.requireNonNull(taxPolicy, "taxPolicy");
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(businessDayStart, "businessDayStart");
    if (cashRounding < 1) {
      throw new IllegalArgumentException("cashRounding must be at least 1 minor unit");
    }
  }

  /** {@code amount} rounded half-even to the nearest multiple of {@link #cashRounding()}. */
  public Money roundForCash(Money amount) {
    long unit = cashRounding;
    long units = java.math.BigDecimal.valueOf(amount.minorUnits())
        .divide(java.math.BigDecimal.valueOf(unit), 0, java.math.RoundingMode.HALF_EVEN).longValueExact();
    return new Money(units * unit, amount.currency());
  }

  /**
   * The business day an instant belongs to, in this cafe's time zone. Compared on the wall clock,
   * so the day starts at {@code businessDayStart} local time on daylight-saving days too.
   */
  public LocalDate businessDate(Instant at) {
    LocalDateTime local = LocalDateTime.ofInstant(at, zone);
    return local.toLocalTime().isBefore(businessDayStart) ? local.toLocalDate().minusDays(1) : local.toLocalDate();
  }
}
