package io.tabletap.server.webhook;

/**
 * A webhook that must not be trusted: missing or bad signature, stale timestamp, or a body that is
 * not the provider's format. {@link #reason()} is a stable code for the audit log
 * ({@code missing_signature}, {@code malformed_signature}, {@code bad_signature}, {@code stale_timestamp},
 * {@code malformed_body}).
 */
public final class WebhookRejectedException extends RuntimeException {
  private final String reason;

  public WebhookRejectedException(String reason, String message) {
    super(message);
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }
}
