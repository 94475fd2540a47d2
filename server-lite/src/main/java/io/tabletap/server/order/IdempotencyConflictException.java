package io.tabletap.server.order;

/** A key or order id seen before, now sent with a different request. Nothing is changed. */
public final class IdempotencyConflictException extends RuntimeException {
  private final boolean byIdempotencyKey;

  public IdempotencyConflictException(String message, boolean byIdempotencyKey) {
    super(message);
    this.byIdempotencyKey = byIdempotencyKey;
  }

  /** True when the {@code Idempotency-Key} clashed; false when a client-chosen order id did. */
  public boolean byIdempotencyKey() {
    return byIdempotencyKey;
  }
}
