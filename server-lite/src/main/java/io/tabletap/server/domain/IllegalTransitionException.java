package io.tabletap.server.domain;

/** A move the order's state machine does not allow, such as READY → PAID. */
public final class IllegalTransitionException extends RuntimeException {
  private final OrderStatus from;
  private final OrderStatus to;

  public IllegalTransitionException(OrderStatus from, OrderStatus to) {
    super("An order cannot move from " + from + " to " + to + (from.isFinal() ? " (" + from + " is final)" : "; allowed: " + from.next()));
    this.from = from;
    this.to = to;
  }

  public OrderStatus from() {
    return from;
  }

  public OrderStatus to() {
    return to;
  }
}
