package io.tabletap.server.payment;

import io.tabletap.server.domain.Order;
import io.tabletap.server.domain.Payment;
import io.tabletap.server.domain.PaymentStatus;
import io.tabletap.server.domain.Refund;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Persistence of payments and refunds. Every decision that compares amounts (does this payment
 * overpay? does this refund exceed what was captured? is the order paid now?) runs inside {@link
 * #locked}, under the order's row lock, so concurrent payments and refunds of one order queue up
 * instead of both passing the same check.
 */
public interface PaymentStore {

  /** An order with all its payments and their refunds, read under the order's row lock. */
  record Snapshot(Order order, List<Payment> payments, List<Refund> refunds) {
    public Optional<Payment> payment(UUID id) {
      return payments.stream().filter(p -> p.id().equals(id)).findFirst();
    }

    public List<Refund> refundsOf(UUID paymentId) {
      return refunds.stream().filter(r -> r.paymentId().equals(paymentId)).toList();
    }
  }

  /**
   * What to write: the order (written if its status changed), and payments and refunds to insert
   * or update. {@code result} is handed back to the caller.
   */
  record Outcome<R>(Order order, List<Payment> payments, List<Refund> refunds, String actor, R result) {
    public static <R> Outcome<R> nothing(Order order, R result) {
      return new Outcome<>(order, List.of(), List.of(), "system", result);
    }
  }

  /** A payment or refund with an idempotency key that another request stored first. */
  final class DuplicateKeyException extends RuntimeException {
    public DuplicateKeyException(String message) {
      super(message);
    }
  }

  /**
   * Loads the order's snapshot under its row lock, lets {@code decide} choose the changes, writes
   * them, all in one transaction. An exception from {@code decide} rolls back and propagates.
   *
   * @throws DuplicateKeyException if a new payment's or refund's idempotency key was taken meanwhile
   *
   * @return empty if there is no such order
   */
  <R> Optional<R> locked(UUID orderId, Function<Snapshot, Outcome<R>> decide);

  Optional<Payment> find(UUID paymentId);

  Optional<Payment> findByIdempotencyKey(String cafeId, String idempotencyKey);

  /** The payment a gateway knows as {@code transactionId} (Payconic id, QR reference, ledger entry). */
  Optional<Payment> findByTransaction(String transactionId);

  Optional<Refund> findRefundByGatewayId(String gatewayRefundId);

  List<Refund> refundsOf(UUID paymentId);

  List<Payment> forOrder(UUID orderId);

  /** Payments in {@code statuses} last changed before {@code before}: for reconciliation. */
  List<Payment> inStatusSince(List<PaymentStatus> statuses, Instant before, int limit);
}
