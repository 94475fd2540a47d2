package io.tabletap.server.domain;

import java.time.Instant;

/** A payment was started; for Payconic the customer may now be on the hosted page. */
public record PaymentInitiated(Payment payment, Instant occurredAt) implements DomainEvent {
  public static final String NAME = "payment.initiated";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String cafeId() {
    return payment.cafeId();
  }
}
