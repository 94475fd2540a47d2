package io.tabletap.server.realtime;

import io.tabletap.server.domain.NotFoundException;
import io.tabletap.server.domain.Order;
import io.tabletap.server.domain.OrderStatus;
import io.tabletap.server.order.OrderService;
import io.tabletap.server.payment.PaymentService;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Snapshots read from the database (docs/protocol.md, "Snapshots"): an order room gets the order
 * and its payments, a payment room the payment, the kitchen its paid and preparing orders, the
 * board the preparing and ready order numbers, staff and cafe rooms every open order.
 */
public final class RoomSnapshots implements SnapshotSource {
  private static final Set<OrderStatus> OPEN = EnumSet.of(OrderStatus.CREATED, OrderStatus.PAYMENT_PENDING, OrderStatus.PAID,
      OrderStatus.IN_PREPARATION, OrderStatus.READY);
  private static final Set<OrderStatus> KITCHEN = EnumSet.of(OrderStatus.PAID, OrderStatus.IN_PREPARATION, OrderStatus.READY);

  private final OrderService orders;
  private final PaymentService payments;

  public RoomSnapshots(OrderService orders, PaymentService payments) {
    this.orders = orders;
    this.payments = payments;
  }

  @Override
  public Object state(RoomKey key) {
    Room room = Room.parse(key.room()).orElseThrow();
    String cafe = key.cafeId();
    Map<String, Object> state = new LinkedHashMap<>();
    try {
      switch (room.kind()) {
        case ORDER -> {
          UUID id = UUID.fromString(room.id());
          state.put("order", Views.order(orders.get(cafe, id)));
          state.put("payments", payments.forOrder(cafe, id).stream().map(Views::payment).toList());
        }
        case PAYMENT -> state.put("payment", Views.payment(payments.get(cafe, UUID.fromString(room.id()))));
        case KITCHEN -> state.put("orders", list(cafe, KITCHEN));
        case BOARD -> {
          List<Order> shown = orders.list(cafe, EnumSet.of(OrderStatus.IN_PREPARATION, OrderStatus.READY), null,
              OrderService.MAX_LIST_LIMIT);
          state.put("preparing", numbers(shown, OrderStatus.IN_PREPARATION));
          state.put("ready", numbers(shown, OrderStatus.READY));
        }
        case CAFE, STAFF -> state.put("orders", list(cafe, OPEN));
        case FLOW -> state.put("flowId", room.id());
      }
    } catch (NotFoundException gone) {
      state.put("gone", true);
    }
    return state;
  }

  private List<Views.OrderView> list(String cafe, Set<OrderStatus> statuses) {
    return orders.list(cafe, statuses, null, OrderService.MAX_LIST_LIMIT).stream().map(Views::order).toList();
  }

  private static List<Integer> numbers(List<Order> shown, OrderStatus status) {
    return shown.stream().filter(o -> o.status() == status).map(Order::orderNumber).toList();
  }
}
