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
    String errorMessage, String idempotencyKey, Instant createdAt, Instant updatedAt) {

  public Refund complete(String gatewayId, Instant at) {
    return new Refund(id, paymentId, amount, Status.COMPLETED, reason, actor, gatewayId, null, idempotencyKey, createdAt, at);
  }

  public Refund fail(String error, Instant at) {
    return new Refund(id, paymentId, amount, Status.FAILED, reason, actor, gatewayRefundId, error, idempotencyKey, createdAt, at);
  }

  public Refund withGatewayId(String gatewayId, Instant at) {
    return new Refund(id, paymentId, amount, status, reason, actor, gatewayId, errorMessage, idempotencyKey, createdAt, at);
  }

  public enum Status {
    PENDING,
    COMPLETED,
    FAILED
  }
}
