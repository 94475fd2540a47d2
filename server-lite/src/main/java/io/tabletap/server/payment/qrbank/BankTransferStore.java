package io.tabletap.server.payment.qrbank;

import io.tabletap.server.domain.Money;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Where bank transfers, the bank's notifications about them, unmatched money and manual refunds
 * live. Every method that writes does so in one transaction.
 */
public interface BankTransferStore {

  /** What {@link #insert} did. */
  sealed interface Insert {}

  /** The transfer is stored. */
  record Inserted(BankTransfer transfer) implements Insert {}

  /** Its reference is taken (the unique index said no): draw another and try again. */
  record ReferenceTaken() implements Insert {}

  /** A transfer with the same idempotency key or payment id exists already: here it is. */
  record AlreadyExists(BankTransfer existing) implements Insert {}

  Insert insert(BankTransfer transfer);

  Optional<BankTransfer> findByReference(PaymentReference reference);

  Optional<BankTransfer> findByIdempotencyKey(String idempotencyKey);

  Optional<BankTransfer> findByPaymentId(UUID paymentId);

  /**
   * Records one bank notification exactly once. In one transaction: if {@code received.eventId()}
   * was recorded before, nothing changes and the result recorded then comes back with {@code
   * duplicate} set. Otherwise the transfer under {@code reference} (if any) is locked and handed
   * to {@code decide}; its decision is applied (the transfer updated, or the money kept as
   * unmatched) and recorded with the event id.
   */
  ReconciliationResult receive(TransferReceived received, Optional<PaymentReference> reference,
      Function<Optional<BankTransfer>, Reception> decide);

  /** What to do with one notification: update a transfer, or keep the money as unmatched. */
  sealed interface Reception {
    ReconciliationResult result();
  }

  record Matched(BankTransfer updated, ReconciliationResult result) implements Reception {}

  record Unmatched(UnmatchedTransfer.Reason reason, ReconciliationResult result) implements Reception {}

  /**
   * Records a manual refund once per idempotency key. In one transaction: an existing refund with
   * the key comes back as it is; otherwise the transfer is locked and {@code decide} is called with
   * it and the sum already refunded, and the refund it returns is stored.
   *
   * @return the refund, or empty when there is no transfer under {@code reference}
   */
  Optional<ManualRefund> refund(PaymentReference reference, String idempotencyKey, RefundDecision decide);

  @FunctionalInterface
  interface RefundDecision {
    /** @throws RuntimeException to refuse (nothing is stored) */
    ManualRefund decide(BankTransfer transfer, Money alreadyRefunded, String lastPayerName);
  }

  /** Every refund of the transfer, oldest first. */
  List<ManualRefund> refunds(PaymentReference reference);

  /** Unmatched money, oldest first. */
  List<UnmatchedTransfer> unmatched();
}
