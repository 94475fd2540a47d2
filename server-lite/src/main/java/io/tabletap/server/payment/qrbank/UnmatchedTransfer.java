package io.tabletap.server.payment.qrbank;

import io.tabletap.server.domain.Money;
import java.time.Instant;

/**
 * Money that arrived under a reference we could not tie to a payment. Kept for staff, who find
 * the order by the payer's name or the amount, or send the money back.
 *
 * @param rawReference exactly what the bank reported
 */
public record UnmatchedTransfer(
    String eventId, String rawReference, Money amount, String payerName, Instant receivedAt, Reason reason, Instant recordedAt) {

  public enum Reason {
    /** Not a reference at all, or one whose check symbol does not fit (a typo). */
    UNREADABLE_REFERENCE,
    /** A well-formed reference that we never issued. */
    UNKNOWN_REFERENCE,
    /** A known reference, paid in another currency than it asked for. */
    CURRENCY_MISMATCH
  }
}
