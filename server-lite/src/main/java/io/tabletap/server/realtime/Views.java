package io.tabletap.server.realtime;

import io.tabletap.server.domain.Order;
import io.tabletap.server.domain.OrderLine;
import io.tabletap.server.domain.Payment;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The JSON shapes of orders and payments inside events and snapshots (docs/protocol.md). */
public final class Views {
  private Views() {}

  /** One line as the kitchen reads it; options by name. */
  public record Item(String itemId, String name, int quantity, List<String> options, String note) {}

  public record OrderView(UUID orderId, int orderNumber, String status, String type, String table, List<Item> items,
      long total, String currency, Instant createdAt, Instant updatedAt) {}

  public record PaymentView(UUID paymentId, UUID orderId, String method, String status, long amount, long refunded,
      String currency, String redirectUrl, String flag, String errorMessage, Instant updatedAt) {}

  public static OrderView order(Order o) {
    return new OrderView(o.id(), o.orderNumber(), o.status().name(), o.type().name(), o.table(), items(o),
        o.total().minorUnits(), o.total().currency().getCurrencyCode(), o.createdAt(), o.updatedAt());
  }

  public static List<Item> items(Order o) {
    return o.lines().stream().map(Views::item).toList();
  }

  private static Item item(OrderLine l) {
    return new Item(l.itemId(), l.itemName(), l.quantity(), l.options().stream().map(OrderLine.ChosenOption::name).toList(),
        l.note());
  }

  public static PaymentView payment(Payment p) {
    return new PaymentView(p.id(), p.orderId(), p.method().name(), p.status().name(), p.amount().minorUnits(),
        p.refunded().minorUnits(), p.amount().currency().getCurrencyCode(), p.redirectUrl(), p.flag(), p.errorMessage(),
        p.updatedAt());
  }
}
