package io.tabletap.server.payment;

/**
 * A gateway call that did not work. {@link #retryable()} says whether the same call may succeed
 * later (network error, timeout, 429, 5xx) or never will (other 4xx: the provider's message says
 * why). The message never contains a secret or card data.
 */
public final class GatewayException extends RuntimeException {
  private final boolean retryable;

  public GatewayException(String message, boolean retryable) {
    super(message);
    this.retryable = retryable;
  }

  public GatewayException(String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  public boolean retryable() {
    return retryable;
  }
}
