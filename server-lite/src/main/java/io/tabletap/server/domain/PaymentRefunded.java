package io.tabletap.server.domain;

import java.time.Instant;

/** A refund completed; {@code refund} is the refund, {@code payment} the payment after it. */
public record PaymentRefunded(Payment payment, Refund refund, Instant occurredAt) implements DomainEvent {
  public static final String NAME = "payment.refunded";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String cafeId() {
    return payment.cafeId();
  }
}
