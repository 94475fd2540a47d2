package io.tabletap.server.payment.qrbank;

import io.tabletap.server.domain.Money;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * What one bank notification did, for the payment service to apply to the payment. This package
 * never changes a payment itself.
 *
 * <p>How to apply it: {@link Outcome#MATCHED} → complete the payment (a payment already completed
 * stays so; an EXPIRED one may complete, which {@code PaymentStatus} allows) and put {@link
 * #flag()} on it; {@link Outcome#PARTIAL} → leave it pending and put the flag on it; {@link
 * Outcome#UNMATCHED} → there is no payment; staff see the money in the unmatched list.
 *
 * <p>A {@link #duplicate()} result repeats what the first delivery of the same event id returned,
 * and nothing was counted again. Applying it again is harmless when applying is idempotent, and it
 * lets a worker that crashed between recording and applying finish the job on retry.
 *
 * @param paymentId null when unmatched
 * @param reference the canonical reference matched, or null when unmatched
 * @param received the transfer's total received so far (all notifications); for an unmatched one,
 *     this notification's amount
 * @param amountDue what the transfer asks for; null when unmatched
 * @param unmatchedReason why it did not match; null when it did
 */
public record ReconciliationResult(
    String eventId, Outcome outcome, UUID paymentId, UUID orderId, String cafeId, String reference, Money received,
    Money amountDue, Set<TransferFlag> flags, UnmatchedTransfer.Reason unmatchedReason, boolean duplicate) {

  public enum Outcome {
    /** Everything owed has arrived (possibly more, flagged OVERPAID): the payment is complete. */
    MATCHED,
    /** Part of it has arrived (flagged UNDERPAID): the payment stays pending; a top-up may follow. */
    PARTIAL,
    /** No payment fits the reference: kept for staff. */
    UNMATCHED
  }

  public ReconciliationResult {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(received, "received");
    flags = flags.isEmpty() ? EnumSet.noneOf(TransferFlag.class) : EnumSet.copyOf(flags);
  }

  @Override
  public Set<TransferFlag> flags() {
    return flags.isEmpty() ? EnumSet.noneOf(TransferFlag.class) : EnumSet.copyOf(flags);
  }

  public Optional<UUID> payment() {
    return Optional.ofNullable(paymentId);
  }

  /** The flags as one note for {@code Payment.withFlag}: {@code "OVERPAID,LATE"}, or null. */
  public String flag() {
    return TransferFlag.join(flags);
  }

  /** What arrived beyond the amount due (owed back to the customer), or zero. */
  public Money surplus() {
    if (amountDue == null || received.compareTo(amountDue) <= 0) {
      return Money.zero(received.currency());
    }
    return received.minus(amountDue);
  }

  ReconciliationResult asDuplicate() {
    return new ReconciliationResult(eventId, outcome, paymentId, orderId, cafeId, reference, received, amountDue, flags,
        unmatchedReason, true);
  }
}
