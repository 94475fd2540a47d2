package io.tabletap.server.domain;

import java.time.Instant;

/** An order moved along its state machine; {@code order} is the order after the move. */
public record OrderStatusChanged(Order order, OrderStatus from, OrderStatus to, Instant occurredAt) implements DomainEvent {
  public static final String NAME = "order.status_changed";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String cafeId() {
    return order.cafeId();
  }
}
