package io.tabletap.server.payment.credit;

import io.tabletap.server.domain.Money;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One line of an account's append-only ledger. Entries are never changed or removed; a mistake is
 * corrected by a further entry (an ADJUSTMENT, or a REFUND of a debit).
 *
 * @param seq 1 for the account's first entry, then 2, 3, … without gaps
 * @param amount signed: positive adds to the balance (TOPUP, REFUND, ADJUSTMENT up), negative takes
 *     from it (DEBIT, ADJUSTMENT down)
 * @param balanceAfter the account's balance once this entry was applied
 * @param actor who asked for it: a device id, or what the payment service passed on
 * @param paymentId the payment a DEBIT collects for, or null
 * @param reference free text such as the order a debit pays for, or null
 * @param refundOf the DEBIT a REFUND gives back (part of), or null
 * @param idempotencyKey the caller's key; unique per account, or null
 */
public record CreditEntry(
    UUID id, UUID accountId, long seq, Kind kind, Money amount, Money balanceAfter, String actor, String reason,
    UUID paymentId, String reference, UUID refundOf, String idempotencyKey, Instant createdAt) {

  /** What an entry does. Persisted by name. */
  public enum Kind {
    TOPUP,
    DEBIT,
    REFUND,
    ADJUSTMENT
  }

  public CreditEntry {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(amount, "amount");
    Objects.requireNonNull(balanceAfter, "balanceAfter");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(createdAt, "createdAt");
    boolean signOk = switch (kind) {
      case TOPUP, REFUND -> amount.minorUnits() > 0;
      case DEBIT -> amount.minorUnits() < 0;
      case ADJUSTMENT -> !amount.isZero();
    };
    if (!signOk) {
      throw new IllegalArgumentException("A " + kind + " entry cannot have the amount " + amount);
    }
    if ((kind == Kind.REFUND) != (refundOf != null)) {
      throw new IllegalArgumentException("A REFUND, and only a REFUND, names the debit it refunds");
    }
  }
}
