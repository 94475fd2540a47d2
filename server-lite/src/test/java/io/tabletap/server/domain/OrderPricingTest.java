package io.tabletap.server.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tabletap.server.domain.OrderRequest.LineRequest;
import io.tabletap.server.menu.DemoCafe;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class OrderPricingTest {
  private final OrderPricing pricing = new OrderPricing(DemoCafe.cafe(), DemoCafe.menu());

  @Test
  void pricesLinesFromTheMenuWithOptionDeltas() {
    OrderPricing.Priced priced = pricing.price(new OrderRequest(null, OrderType.DINE_IN, " 5 ", List.of(
        new LineRequest("flat-white", 2, List.of("size-large", "milk-oat"), "extra hot"),
        new LineRequest("banana-bread", 1, List.of("warmed"), null))));
    assertThat(priced.table()).isEqualTo("5");
    assertThat(priced.lines().get(0).unitPrice().minorUnits()).isEqualTo(450 + 100 + 70);
    assertThat(priced.lines().get(0).lineTotal().minorUnits()).isEqualTo(1240);
    assertThat(priced.totals().subtotal().minorUnits()).isEqualTo(1240 + 650);
    assertThat(priced.totals().total().minorUnits()).isEqualTo(1890);
    assertThat(priced.totals().tax().minorUnits()).isEqualTo(172); // 171.8…
  }

  @Test
  void reportsEveryProblemOfARequestAtOnce() {
    OrderRequest request = new OrderRequest(null, OrderType.DINE_IN, null, List.of(
        new LineRequest("no-such-thing", 1, List.of(), null),
        new LineRequest("eggs-benedict", 1, List.of(), null),
        new LineRequest("latte", 0, List.of("milk-oat"), "x".repeat(201)),
        new LineRequest("latte", 1, List.of("size-small", "size-large", "gravy"), null)));
    assertThatThrownBy(() -> pricing.price(request)).isInstanceOfSatisfying(ValidationException.class, e ->
        assertThat(e.errors()).extracting(FieldError::field, FieldError::code).containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("table", "table_required"),
            org.assertj.core.groups.Tuple.tuple("lines[0].itemId", "unknown_item"),
            org.assertj.core.groups.Tuple.tuple("lines[1].itemId", "item_unavailable"),
            org.assertj.core.groups.Tuple.tuple("lines[2].quantity", "bad_quantity"),
            org.assertj.core.groups.Tuple.tuple("lines[2].note", "note_too_long"),
            org.assertj.core.groups.Tuple.tuple("lines[2].options", "missing_required_modifier"),
            org.assertj.core.groups.Tuple.tuple("lines[3].options", "unknown_option"),
            org.assertj.core.groups.Tuple.tuple("lines[3].options", "too_many_options")));
  }

  @Test
  void anEmptyOrderIsRefused() {
    assertThatThrownBy(() -> pricing.price(new OrderRequest(null, OrderType.TAKEAWAY, null, List.of())))
        .isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.errors()).extracting(FieldError::code).containsExactly("lines_required"));
  }

  @Test
  void theBusinessDayStartsAtFourInTheMorningLocalTime() {
    Cafe cafe = DemoCafe.cafe(); // Australia/Sydney, UTC+11 in November
    assertThat(cafe.businessDate(Instant.parse("2026-11-26T16:59:00Z"))).isEqualTo(LocalDate.of(2026, 11, 26)); // 03:59
    assertThat(cafe.businessDate(Instant.parse("2026-11-26T17:00:00Z"))).isEqualTo(LocalDate.of(2026, 11, 27)); // 04:00
  }
}
