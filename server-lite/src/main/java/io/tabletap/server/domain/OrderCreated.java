package io.tabletap.server.domain;

import java.time.Instant;

public record OrderCreated(Order order, Instant occurredAt) implements DomainEvent {
  public static final String NAME = "order.created";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String cafeId() {
    return order.cafeId();
  }
}
