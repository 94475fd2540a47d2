package io.tabletap.server.payment.qrbank;

import io.tabletap.server.domain.Payment;
import io.tabletap.server.domain.PaymentStatus;
import io.tabletap.server.payment.PaymentService;
import java.util.Optional;

/**
 * Applies the bank's {@code transfer.received} to our payments: matches it to a transfer ({@link
 * BankTransferReconciler}), then completes the payment (exact or more: flagged OVERPAID; late:
 * flagged LATE) or flags it UNDERPAID and leaves it pending. Unmatched money stays in the
 * reconciler's list for staff. Idempotent: the same event applied twice changes nothing more.
 */
public final class BankTransferSettlement {
  private final BankTransferReconciler reconciler;
  private final PaymentService payments;

  public BankTransferSettlement(BankTransferReconciler reconciler, PaymentService payments) {
    this.reconciler = reconciler;
    this.payments = payments;
  }

  /** The reconciliation and, when a payment was matched, the payment after it. */
  public record Settled(ReconciliationResult result, Optional<Payment> payment) {}

  public Settled apply(TransferReceived transfer) {
    ReconciliationResult result = reconciler.reconcile(transfer);
    return switch (result.outcome()) {
      case MATCHED -> new Settled(result, Optional.of(payments.settle(result.paymentId(), PaymentStatus.COMPLETED, result.flag())));
      case PARTIAL -> new Settled(result, Optional.of(payments.flag(result.paymentId(), result.flag())));
      case UNMATCHED -> new Settled(result, Optional.empty());
    };
  }
}
