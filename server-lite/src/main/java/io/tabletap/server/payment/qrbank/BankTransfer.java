package io.tabletap.server.payment.qrbank;

import io.tabletap.server.domain.Money;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * One payment by bank transfer: what is owed under which reference, into which account, until
 * when, and what has arrived. The account and QR format are a snapshot taken when the transfer
 * was created, so a later change of the cafe's bank details never changes what a customer was
 * shown.
 *
 * @param received the sum of every matched bank notification, possibly more than {@code amount}
 * @param status {@link Status#PAID} once {@code received} covers {@code amount}; an unpaid transfer
 *     is expired from {@code expiresAt} on (see {@link #isExpiredAt}), which is computed, not stored
 * @param orderNumber the cafe's order number, for people; 0 when unknown
 */
public record BankTransfer(
    PaymentReference reference, UUID paymentId, UUID orderId, int orderNumber, String cafeId, String idempotencyKey,
    Money amount, Money received, Status status, Set<TransferFlag> flags, String description, BankAccount account,
    QrFormat format, Instant createdAt, Instant expiresAt, Instant paidAt, Instant updatedAt) {

  public enum Status {
    PENDING,
    PAID
  }

  public BankTransfer {
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(paymentId, "paymentId");
    Objects.requireNonNull(orderId, "orderId");
    Objects.requireNonNull(cafeId, "cafeId");
    Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    Objects.requireNonNull(amount, "amount");
    Objects.requireNonNull(received, "received");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(expiresAt, "expiresAt");
    flags = flags.isEmpty() ? EnumSet.noneOf(TransferFlag.class) : EnumSet.copyOf(flags);
    if (amount.isNegative() || amount.isZero()) {
      throw new IllegalArgumentException("A transfer amount must be positive");
    }
    if (received.isNegative()) {
      throw new IllegalArgumentException("Received may not be negative");
    }
  }

  /** Not paid, and its time is up. */
  public boolean isExpiredAt(Instant now) {
    return status == Status.PENDING && !now.isBefore(expiresAt);
  }

  /** What is still to pay (zero once paid or overpaid). */
  public Money outstanding() {
    Money left = amount.minus(received);
    return left.isNegative() ? Money.zero(amount.currency()) : left;
  }

  @Override
  public Set<TransferFlag> flags() {
    return flags.isEmpty() ? EnumSet.noneOf(TransferFlag.class) : EnumSet.copyOf(flags);
  }

  /** This transfer with {@code total} received in all, as of {@code at}. */
  BankTransfer withReceived(Money total, Status newStatus, Set<TransferFlag> newFlags, Instant newPaidAt, Instant at) {
    return new BankTransfer(reference, paymentId, orderId, orderNumber, cafeId, idempotencyKey, amount, total, newStatus,
        newFlags, description, account, format, createdAt, expiresAt, newPaidAt, at);
  }
}
