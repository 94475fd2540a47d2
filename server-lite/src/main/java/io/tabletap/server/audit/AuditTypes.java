package io.tabletap.server.audit;

/**
 * The stable type strings of audit rows. They are persisted and shown to admins: never rename one,
 * add a new one. A type is lower case, dotted: {@code <subject kind>.<what happened>}.
 */
public final class AuditTypes {
  /** A provider's webhook arrived and its signature held; subject: the provider's event id. */
  public static final String WEBHOOK_RECEIVED = "webhook.received";
  /** A webhook was refused (bad signature, stale, malformed); reason: why. */
  public static final String WEBHOOK_REJECTED = "webhook.rejected";
  /** A queued webhook was applied to our payments; details: the outcome. */
  public static final String WEBHOOK_PROCESSED = "webhook.processed";
  /** Applying a queued webhook failed; reason: why (no stack trace, no body). */
  public static final String WEBHOOK_FAILED = "webhook.failed";
  /** A payment moved to a new status (created PENDING, COMPLETED, FAILED); subject: the payment id. */
  public static final String PAYMENT_STATUS_CHANGED = "payment.status_changed";
  /** A person completed a payment by hand; actor: the device, reason: theirs. Subject: the payment id. */
  public static final String PAYMENT_CONFIRMED_BY_HAND = "payment.confirmed_by_hand";
  /** A refund completed; subject: the payment id, details: the refund id and amount. */
  public static final String REFUND_COMPLETED = "refund.completed";
  /** An admin retried a failed job by hand; actor: the device. */
  public static final String JOB_RETRIED_BY_ADMIN = "job.retried_by_admin";

  private AuditTypes() {}
}
