package io.tabletap.server.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One payment towards an order; an order may have several (split payments). Immutable: changes
 * return a new {@code Payment}, and only along {@link PaymentStatus}'s moves.
 *
 * @param amount what this payment pays towards the order (for cash: the part of the tender kept)
 * @param refunded the sum of completed refunds, never more than {@code amount}
 * @param gatewayTransactionId the provider's id (Payconic), the transfer reference (QR), the ledger
 *     entry (credit); null until the gateway gave one
 * @param idempotencyKey the client's key for this payment; retries with it return this payment
 * @param tendered cash handed over, or null
 * @param change cash given back, or null
 * @param flag a note for staff such as {@code UNDERPAID}, {@code OVERPAID}, {@code LATE}, or null
 * @param confirmedBy the device that confirmed a bank transfer by hand, or null
 * @param confirmReason why it was confirmed by hand, or null
 */
public record Payment(
    UUID id,
    UUID orderId,
    String cafeId,
    PaymentMethod method,
    Money amount,
    PaymentStatus status,
    Money refunded,
    String gatewayTransactionId,
    String redirectUrl,
    String idempotencyKey,
    String errorMessage,
    Money tendered,
    Money change,
    String creditAccountId,
    String flag,
    String confirmedBy,
    String confirmReason,
    Instant createdAt,
    Instant updatedAt) {

  public Payment {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(orderId, "orderId");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(amount, "amount");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(refunded, "refunded");
    if (amount.isNegative() || amount.isZero()) {
      throw new IllegalArgumentException("A payment amount must be positive");
    }
    if (refunded.isNegative() || refunded.compareTo(amount) > 0) {
      throw new IllegalArgumentException("Refunded " + refunded + " outside 0.." + amount);
    }
  }

  /** This payment in {@code target}, or the same payment when it is there already. */
  public Payment moveTo(PaymentStatus target, Instant at) {
    if (status == target && target != PaymentStatus.PARTIALLY_REFUNDED) {
      return this;
    }
    if (!status.canMoveTo(target)) {
      throw new IllegalPaymentTransitionException(status, target);
    }
    return with(target, refunded, gatewayTransactionId, redirectUrl, errorMessage, flag, at);
  }

  /** What may still be refunded. */
  public Money refundable() {
    return status.isCaptured() ? amount.minus(refunded) : Money.zero(amount.currency());
  }

  public Payment withGatewayResult(String transactionId, String redirect, String error, Instant at) {
    return with(status, refunded, transactionId, redirect, error, flag, at);
  }

  public Payment withFlag(String newFlag, Instant at) {
    return with(status, refunded, gatewayTransactionId, redirectUrl, errorMessage, newFlag, at);
  }

  /** Adds a completed refund, moving to PARTIALLY_REFUNDED or REFUNDED. */
  public Payment withRefund(Money refundAmount, Instant at) {
    Money total = refunded.plus(refundAmount);
    if (total.compareTo(amount) > 0) {
      throw new IllegalArgumentException("Refunds " + total + " would exceed the captured " + amount);
    }
    PaymentStatus target = total.equals(amount) ? PaymentStatus.REFUNDED : PaymentStatus.PARTIALLY_REFUNDED;
    if (!status.canMoveTo(target)) {
      throw new IllegalPaymentTransitionException(status, target);
    }
    return with(target, total, gatewayTransactionId, redirectUrl, errorMessage, flag, at);
  }

  /** Completed by a person rather than the bank: who and why are kept with it. */
  public Payment confirmedByHand(String deviceId, String reason, Instant at) {
    Payment completed = moveTo(PaymentStatus.COMPLETED, at);
    return new Payment(id, orderId, cafeId, method, amount, completed.status, refunded, gatewayTransactionId, redirectUrl,
        idempotencyKey, errorMessage, tendered, change, creditAccountId, flag, deviceId, reason, createdAt, at);
  }

  private Payment with(PaymentStatus s, Money r, String tx, String redirect, String error, String f, Instant at) {
    return new Payment(id, orderId, cafeId, method, amount, s, r, tx, redirect, idempotencyKey, error, tendered, change,
        creditAccountId, f, confirmedBy, confirmReason, createdAt, at);
  }
}
