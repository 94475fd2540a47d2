package io.tabletap.server.domain;

import java.time.Instant;

/**
 * A payment ended without taking money: FAILED (the gateway refused or gave up; errorMessage says
 * why), CANCELLED (staff or the provider cancelled it) or EXPIRED. The payment's status says which.
 */
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
