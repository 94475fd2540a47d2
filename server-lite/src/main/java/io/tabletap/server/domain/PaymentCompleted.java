package io.tabletap.server.domain;

import java.time.Instant;

/** Money was captured. */
public record PaymentCompleted(Payment payment, Instant occurredAt) implements DomainEvent {
  public static final String NAME = "payment.completed";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String cafeId() {
    return payment.cafeId();
  }
}
