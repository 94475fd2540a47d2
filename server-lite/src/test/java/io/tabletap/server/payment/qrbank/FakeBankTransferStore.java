package io.tabletap.server.payment.qrbank;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * An in-memory transfer store with the same uniqueness as the table: reference (primary key),
 * idempotency key and payment id. Enough for creating and finding transfers, fast enough for a
 * hundred thousand of them; counts the references it refused as taken.
 */
final class FakeBankTransferStore implements BankTransferStore {
  private final Map<PaymentReference, BankTransfer> byReference = new ConcurrentHashMap<>();
  private final Map<String, BankTransfer> byKey = new ConcurrentHashMap<>();
  private final Map<UUID, BankTransfer> byPayment = new ConcurrentHashMap<>();
  int referencesTaken;

  @Override
  public synchronized Insert insert(BankTransfer transfer) {
    BankTransfer existing = byKey.getOrDefault(transfer.idempotencyKey(), byPayment.get(transfer.paymentId()));
    if (existing != null) {
      return new AlreadyExists(existing);
    }
    if (byReference.putIfAbsent(transfer.reference(), transfer) != null) {
      referencesTaken++;
      return new ReferenceTaken();
    }
    byKey.put(transfer.idempotencyKey(), transfer);
    byPayment.put(transfer.paymentId(), transfer);
    return new Inserted(transfer);
  }

  int size() {
    return byReference.size();
  }

  @Override
  public Optional<BankTransfer> findByReference(PaymentReference reference) {
    return Optional.ofNullable(byReference.get(reference));
  }

  @Override
  public Optional<BankTransfer> findByIdempotencyKey(String idempotencyKey) {
    return Optional.ofNullable(byKey.get(idempotencyKey));
  }

  @Override
  public Optional<BankTransfer> findByPaymentId(UUID paymentId) {
    return Optional.ofNullable(byPayment.get(paymentId));
  }

  @Override
  public ReconciliationResult receive(TransferReceived received, Optional<PaymentReference> reference,
      Function<Optional<BankTransfer>, Reception> decide) {
    throw new UnsupportedOperationException("not needed by this fake");
  }

  @Override
  public Optional<ManualRefund> refund(PaymentReference reference, String idempotencyKey, RefundDecision decide) {
    throw new UnsupportedOperationException("not needed by this fake");
  }

  @Override
  public List<ManualRefund> refunds(PaymentReference reference) {
    throw new UnsupportedOperationException("not needed by this fake");
  }

  @Override
  public List<UnmatchedTransfer> unmatched() {
    throw new UnsupportedOperationException("not needed by this fake");
  }
}
