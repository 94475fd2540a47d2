package io.tabletap.server.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.tabletap.server.domain.Money;
import io.tabletap.server.domain.Order;
import io.tabletap.server.domain.OrderLine;
import io.tabletap.server.domain.OrderStatus;
import io.tabletap.server.domain.OrderType;
import io.tabletap.server.realtime.States.KitchenOrder;
import io.tabletap.server.realtime.States.QueuePosition;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The kitchen model alone: who is told a new position, and events of one order that arrive out of order. */
class KitchenModelTest {
  static final Instant T0 = Instant.parse("2026-11-26T09:00:00Z");
  final KitchenModel model = KitchenModel.load("demo", List.of(), PreparationTimes.from(List.of()), T0);

  /** An order taken {@code minute} minutes after T0, in {@code status} since then. */
  static Order order(int number, int minute, OrderStatus status) {
    return order(number, minute, status, minute);
  }

  /** An order taken {@code minute} minutes after T0, in {@code status} since minute {@code since}. */
  static Order order(int number, int minute, OrderStatus status, int since) {
    Money price = Money.of(450, "AUD");
    return new Order(new UUID(0, number), "demo", number, LocalDate.of(2026, 11, 26), OrderType.TAKEAWAY, null,
        List.of(new OrderLine("long-black", "Long black", 1, List.of(), null, price, price)), price, Money.of(41, "AUD"), price,
        status, T0.plusSeconds(60L * minute), T0.plusSeconds(60L * since));
  }

  /** {@code o} moved to {@code to} at the same moment it took its status (as two threads moments apart). */
  static Order moved(Order o, OrderStatus to) {
    return new Order(o.id(), o.cafeId(), o.orderNumber(), o.businessDate(), o.type(), o.table(), o.lines(), o.subtotal(), o.tax(),
        o.total(), to, o.createdAt(), o.updatedAt());
  }

  private List<Integer> queue() {
    return model.display().activeOrders().stream().map(KitchenOrder::orderNumber).toList();
  }

  @Test
  void aPaidOrderJoinsAtTheEndAndMovesNobodyWhenEverItWasTaken() {
    assertThat(model.follow(order(2, 2, OrderStatus.PAID), T0).moved()).extracting(QueuePosition::orderId)
        .containsExactly(new UUID(0, 2));
    assertThat(model.follow(order(3, 3, OrderStatus.PAID), T0).moved()).extracting(QueuePosition::position).containsExactly(2);

    // taken first, paid last (a bank transfer the customer confirmed slowly): cooked after those paid before
    KitchenModel.Change late = model.follow(order(1, 1, OrderStatus.PAID, 4), T0);

    assertThat(queue()).containsExactly(2, 3, 1);
    assertThat(late.delta().order().queuePosition()).isEqualTo(3);
    assertThat(late.delta().order().queuedAt()).isEqualTo(T0.plusSeconds(240));
    assertThat(late.moved()).extracting(QueuePosition::orderNumber, QueuePosition::position).containsExactly(tuple(1, 3));
  }

  @Test
  void startingAnOrderMovesItAheadOfThePaidOnesAndOnlyThoseItPassed() {
    for (int n = 1; n <= 4; n++) {
      model.follow(order(n, n, OrderStatus.PAID), T0);
    }

    KitchenModel.Change started = model.follow(order(3, 3, OrderStatus.IN_PREPARATION, 5), T0);

    assertThat(queue()).containsExactly(3, 1, 2, 4);
    assertThat(started.moved()).extracting(QueuePosition::orderNumber).containsExactly(3, 1, 2);
  }

  @Test
  void loadedFromTheDatabaseTheQueueIsInTheOrderOfPaymentNotOfTaking() {
    KitchenModel loaded = KitchenModel.load("demo", List.of(order(1, 1, OrderStatus.PAID, 9), order(2, 2, OrderStatus.PAID, 3),
        order(3, 3, OrderStatus.IN_PREPARATION, 8), order(4, 4, OrderStatus.IN_PREPARATION, 6)), PreparationTimes.from(List.of()), T0);

    assertThat(loaded.display().activeOrders()).extracting(KitchenOrder::orderNumber).containsExactly(4, 3, 2, 1);
  }

  @Test
  void aLateEventOfAnOrderDoesNotTakeItBack() {
    Order paid = order(1, 1, OrderStatus.PAID);
    // Two threads changed the order moments apart, and the later change reached the model first.
    assertThat(model.follow(moved(paid, OrderStatus.IN_PREPARATION), T0)).isNotNull();
    assertThat(model.follow(paid, T0)).isNull();
    assertThat(model.display().activeOrders()).extracting(KitchenOrder::status).containsExactly("IN_PREPARATION");

    model.follow(moved(paid, OrderStatus.READY), T0);
    model.follow(moved(paid, OrderStatus.COMPLETED), T0);
    assertThat(model.follow(moved(paid, OrderStatus.READY), T0)).isNull();
    assertThat(model.display().activeOrders()).isEmpty();
    assertThat(model.display().completedOrders()).isEmpty();
  }

  @Test
  void anEventTheModelAlreadyReflectsIsStillSent() {
    Order paid = order(1, 1, OrderStatus.PAID);
    KitchenModel loaded = KitchenModel.load("demo", List.of(paid), PreparationTimes.from(List.of()), T0);

    // The model was read after the change committed, before its event arrived: screens may not have it.
    KitchenModel.Change change = loaded.follow(paid, T0);

    assertThat(change.delta().orderId()).isEqualTo(paid.id());
    assertThat(change.moved()).extracting(QueuePosition::position).containsExactly(1);
  }
}
