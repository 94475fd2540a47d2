package io.tabletap.server.domain;

import java.time.Instant;

/** The gateway refused or gave up; errorMessage says why. */
public record PaymentFailed(Payment payment, Instant occurredAt) implements DomainEvent {
  public static final String NAME = "payment.failed";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String cafeId() {
    return payment.cafeId();
  }
}
