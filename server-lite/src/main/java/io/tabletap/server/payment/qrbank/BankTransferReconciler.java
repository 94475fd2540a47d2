package io.tabletap.server.payment.qrbank;

import io.tabletap.server.domain.Money;
import io.tabletap.server.payment.qrbank.BankTransferStore.Matched;
import io.tabletap.server.payment.qrbank.BankTransferStore.Reception;
import io.tabletap.server.payment.qrbank.BankTransferStore.Unmatched;
import io.tabletap.server.payment.qrbank.ReconciliationResult.Outcome;
import io.tabletap.server.payment.qrbank.UnmatchedTransfer.Reason;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Matches the bank's {@code transfer.received} notifications to bank transfers.
 *
 * <ul>
 *   <li>The reference is read tolerantly (case, spaces, dashes, a missing {@code TT}, inside a
 *       longer text) and its check symbol must fit: a typo never matches another transfer.
 *   <li>Exact amount → {@link Outcome#MATCHED}. Less → {@link Outcome#PARTIAL}, flagged {@link
 *       TransferFlag#UNDERPAID}, the amount kept, so a second transfer can complete it. More →
 *       MATCHED, flagged {@link TransferFlag#OVERPAID} (the surplus is owed back). Money for a
 *       transfer already paid is added too: MATCHED, OVERPAID.
 *   <li>Money received (by the bank's clock, {@code receivedAt}) at or after an unpaid transfer's
 *       expiry is still counted, flagged {@link TransferFlag#LATE}: staff decide.
 *   <li>An unreadable or unknown reference, or a currency the transfer did not ask for → {@link
 *       Outcome#UNMATCHED}, kept in the unmatched list for staff.
 *   <li>The same event id twice is counted once; the second call returns the first result, marked
 *       duplicate.
 * </ul>
 *
 * <p>It changes transfers only, never payments: the caller applies the {@link ReconciliationResult}.
 */
public final class BankTransferReconciler {
  private static final Logger log = LoggerFactory.getLogger(BankTransferReconciler.class);

  private final BankTransferStore transfers;
  private final Clock clock;

  public BankTransferReconciler(BankTransferStore transfers, Clock clock) {
    this.transfers = transfers;
    this.clock = clock;
  }

  /** Records {@code received} once and says what it means for its payment. */
  public ReconciliationResult reconcile(TransferReceived received) {
    Optional<PaymentReference> reference = PaymentReference.parse(received.reference());
    ReconciliationResult result = transfers.receive(received, reference, found -> decide(received, reference, found, clock.instant()));
    if (result.duplicate()) {
      log.info("Bank event {} was seen before; nothing counted again", result.eventId());
    } else if (result.outcome() == Outcome.UNMATCHED) {
      log.warn("Bank event {}: {} could not be matched ({}); kept for staff", result.eventId(), received.amount(),
          result.unmatchedReason());
    } else {
      log.info("Bank event {}: {} on {} (payment {}), {} of {} received{}", result.eventId(), result.outcome(),
          result.reference(), result.paymentId(), result.received(), result.amountDue(),
          result.flags().isEmpty() ? "" : ", flagged " + result.flag());
    }
    return result;
  }

  /** Money no payment could be found for, oldest first. */
  public List<UnmatchedTransfer> unmatchedTransfers() {
    return transfers.unmatched();
  }

  /** The matching rules, with no I/O: what {@code received} does to {@code found}. */
  static Reception decide(TransferReceived received, Optional<PaymentReference> reference, Optional<BankTransfer> found, Instant now) {
    if (reference.isEmpty()) {
      return unmatched(received, Reason.UNREADABLE_REFERENCE);
    }
    if (found.isEmpty()) {
      return unmatched(received, Reason.UNKNOWN_REFERENCE);
    }
    BankTransfer transfer = found.get();
    if (!received.amount().currency().equals(transfer.amount().currency())) {
      return unmatched(received, Reason.CURRENCY_MISMATCH);
    }
    boolean wasPaid = transfer.status() == BankTransfer.Status.PAID;
    Money total = transfer.received().plus(received.amount());
    Set<TransferFlag> flags = EnumSet.noneOf(TransferFlag.class);
    if (transfer.flags().contains(TransferFlag.LATE) || (!wasPaid && !received.receivedAt().isBefore(transfer.expiresAt()))) {
      flags.add(TransferFlag.LATE);
    }
    int comparison = total.compareTo(transfer.amount());
    if (comparison < 0) {
      flags.add(TransferFlag.UNDERPAID);
    } else if (comparison > 0) {
      flags.add(TransferFlag.OVERPAID);
    }
    boolean paid = comparison >= 0;
    Instant paidAt = wasPaid ? transfer.paidAt() : paid ? received.receivedAt() : null;
    BankTransfer updated = transfer.withReceived(total, paid ? BankTransfer.Status.PAID : BankTransfer.Status.PENDING, flags,
        paidAt, now);
    ReconciliationResult result = new ReconciliationResult(received.eventId(), paid ? Outcome.MATCHED : Outcome.PARTIAL,
        transfer.paymentId(), transfer.orderId(), transfer.cafeId(), transfer.reference().toString(), total, transfer.amount(),
        flags, null, false);
    return new Matched(updated, result);
  }

  private static Reception unmatched(TransferReceived received, Reason reason) {
    return new Unmatched(reason, new ReconciliationResult(received.eventId(), Outcome.UNMATCHED, null, null, null, null,
        received.amount(), null, EnumSet.noneOf(TransferFlag.class), reason, false));
  }
}
