package io.tabletap.server.domain;

/** A move the payment's state machine does not allow, such as REFUNDED → COMPLETED. */
public final class IllegalPaymentTransitionException extends RuntimeException {
  private final PaymentStatus from;
  private final PaymentStatus to;

  public IllegalPaymentTransitionException(PaymentStatus from, PaymentStatus to) {
    super("A payment cannot move from " + from + " to " + to);
    this.from = from;
    this.to = to;
  }

  public PaymentStatus from() {
    return from;
  }

  public PaymentStatus to() {
    return to;
  }
}
