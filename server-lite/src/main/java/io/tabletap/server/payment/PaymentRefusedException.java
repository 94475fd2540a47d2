package io.tabletap.server.payment;

import java.util.Map;

/**
 * A payment or refund the rules refuse: it would overpay, the order cannot be paid in its state,
 * the refund exceeds what was captured, the gateway is unreachable. {@link #code()} is stable and
 * reaches the client; {@link #kind()} says what sort of refusal it is.
 */
public final class PaymentRefusedException extends RuntimeException {
  public enum Kind {
    /** The request can never work as sent (422). */
    INVALID,
    /** The request clashes with the current state (409). */
    CONFLICT,
    /** The provider cannot be reached now; the same request may work later (502). */
    UNAVAILABLE
  }

  private final String code;
  private final Kind kind;
  private final transient Map<String, Object> details;

  public PaymentRefusedException(Kind kind, String code, String message, Map<String, Object> details) {
    super(message);
    this.kind = kind;
    this.code = code;
    this.details = details;
  }

  public String code() {
    return code;
  }

  public Kind kind() {
    return kind;
  }

  public Map<String, Object> details() {
    return details;
  }
}
