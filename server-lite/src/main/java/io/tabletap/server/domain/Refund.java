package io.tabletap.server.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * Money given back on a payment. PENDING reserves the amount (so two refunds at once cannot
 * exceed what was captured) until the gateway answers COMPLETED or FAILED.
 *
 * @param actor the device that asked for it
 */
public record Refund(
    UUID id, UUID paymentId, Money amount, Status status, String reason, String actor, String gatewayRefundId,
    String errorMessage, Instant createdAt, Instant updatedAt) {

  public enum Status {
    PENDING,
    COMPLETED,
    FAILED
  }
}
