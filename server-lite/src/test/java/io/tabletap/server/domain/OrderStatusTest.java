package io.tabletap.server.domain;

import static io.tabletap.server.domain.OrderStatus.CANCELLED;
import static io.tabletap.server.domain.OrderStatus.COMPLETED;
import static io.tabletap.server.domain.OrderStatus.CREATED;
import static io.tabletap.server.domain.OrderStatus.IN_PREPARATION;
import static io.tabletap.server.domain.OrderStatus.PAID;
import static io.tabletap.server.domain.OrderStatus.PAYMENT_PENDING;
import static io.tabletap.server.domain.OrderStatus.READY;
import static io.tabletap.server.domain.OrderStatus.REFUNDED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The state machine as a table of every (from, to) pair: 64 cases, 11 allowed. */
class OrderStatusTest {
  private static final Set<List<OrderStatus>> ALLOWED = Set.of(
      List.of(CREATED, PAYMENT_PENDING),
      List.of(CREATED, CANCELLED),
      List.of(PAYMENT_PENDING, PAID),
      List.of(PAYMENT_PENDING, CANCELLED),
      List.of(PAID, IN_PREPARATION),
      List.of(IN_PREPARATION, READY),
      List.of(READY, COMPLETED),
      List.of(PAID, REFUNDED),
      List.of(IN_PREPARATION, REFUNDED),
      List.of(READY, REFUNDED),
      List.of(COMPLETED, REFUNDED));

  static Stream<Arguments> everyPair() {
    List<Arguments> pairs = new ArrayList<>();
    for (OrderStatus from : OrderStatus.values()) {
      for (OrderStatus to : OrderStatus.values()) {
        pairs.add(Arguments.of(from, to, ALLOWED.contains(List.of(from, to))));
      }
    }
    return pairs.stream();
  }

  @ParameterizedTest(name = "{0} → {1} allowed: {2}")
  @MethodSource("everyPair")
  void theOrderAcceptsExactlyTheMovesOfTheStateMachine(OrderStatus from, OrderStatus to, boolean allowed) {
    Order order = orderIn(from);
    Instant later = order.updatedAt().plusSeconds(5);
    assertThat(from.canMoveTo(to)).isEqualTo(allowed);
    if (allowed) {
      Order moved = order.moveTo(to, later);
      assertThat(moved.status()).isEqualTo(to);
      assertThat(moved.updatedAt()).isEqualTo(later);
      assertThat(moved.id()).isEqualTo(order.id());
    } else {
      assertThatThrownBy(() -> order.moveTo(to, later))
          .isInstanceOf(IllegalTransitionException.class)
          .hasMessageContaining(from.name()).hasMessageContaining(to.name());
    }
  }

  @ParameterizedTest
  @MethodSource("finals")
  void cancelledAndRefundedAreFinal(OrderStatus status) {
    assertThat(status.isFinal()).isTrue();
  }

  static Stream<OrderStatus> finals() {
    return Stream.of(CANCELLED, REFUNDED);
  }

  static Order orderIn(OrderStatus status) {
    Money price = Money.of(450, "AUD");
    Instant at = Instant.parse("2026-11-26T00:00:00Z");
    return new Order(UUID.randomUUID(), "demo", 1, LocalDate.of(2026, 11, 26), OrderType.TAKEAWAY, null,
        List.of(new OrderLine("flat-white", "Flat white", 1, List.of(), null, price, price)),
        price, Money.of(41, "AUD"), price, status, at, at);
  }
}
