package io.tabletap.server.domain;

import java.util.EnumSet;
import java.util.Set;

/**
 * The life of one payment.
 *
 * <pre>
 * PENDING → PROCESSING → COMPLETED → PARTIALLY_REFUNDED → REFUNDED
 *    │          │            └──────────────────────────→ REFUNDED
 *    └──────────┴→ FAILED, CANCELLED, EXPIRED
 * FAILED, EXPIRED, CANCELLED → COMPLETED   (the provider or the bank reports money captured after all)
 * </pre>
 *
 * <p>A late {@code payment.failed} can therefore never undo a COMPLETED payment, while money that
 * really arrived late is still recorded (and flagged by the caller).
 */
public enum PaymentStatus {
  PENDING,
  PROCESSING,
  COMPLETED,
  FAILED,
  CANCELLED,
  EXPIRED,
  PARTIALLY_REFUNDED,
  REFUNDED;

  public Set<PaymentStatus> next() {
    return switch (this) {
      case PENDING -> EnumSet.of(PROCESSING, COMPLETED, FAILED, CANCELLED, EXPIRED);
      case PROCESSING -> EnumSet.of(COMPLETED, FAILED, CANCELLED, EXPIRED);
      case COMPLETED -> EnumSet.of(PARTIALLY_REFUNDED, REFUNDED);
      case PARTIALLY_REFUNDED -> EnumSet.of(PARTIALLY_REFUNDED, REFUNDED);
      case FAILED, EXPIRED, CANCELLED -> EnumSet.of(COMPLETED);
      case REFUNDED -> EnumSet.noneOf(PaymentStatus.class);
    };
  }

  public boolean canMoveTo(PaymentStatus target) {
    return next().contains(target);
  }

  /** Still waiting for the customer or the provider. */
  public boolean isOpen() {
    return this == PENDING || this == PROCESSING;
  }

  /** Money was captured (and possibly partly given back). */
  public boolean isCaptured() {
    return this == COMPLETED || this == PARTIALLY_REFUNDED || this == REFUNDED;
  }
}
