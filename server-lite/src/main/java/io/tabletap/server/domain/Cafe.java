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
 */
public record Cafe(
    String id, String name, Currency currency, TaxPolicy taxPolicy, ZoneId zone, LocalTime businessDayStart) {

  public Cafe {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(currency, "currency");
    Objects.requireNonNull(taxPolicy, "taxPolicy");
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(businessDayStart, "businessDayStart");
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
