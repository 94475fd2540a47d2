package io.tabletap.server.sandbox;

import io.tabletap.server.domain.Money;
import io.tabletap.server.sandbox.SandboxPayment.NewPayment;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The sandbox's payments and refunds, in memory, with their idempotency keys. A key seen before
 * answers what it answered the first time and changes nothing; the same key with different
 * parameters is refused (422 {@code idempotency_conflict}), as Payconic does. Thread-safe.
 */
final class SandboxLedger {
  private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, SandboxPayment> payments = new HashMap<>();
  private final Map<String, SandboxRefund> refunds = new HashMap<>();
  private final Map<String, Keyed> keys = new HashMap<>();

  /** What an idempotency key was first used for, and what it produced. */
  private record Keyed(Object request, String resultId) {}

  /** @param created false when the idempotency key had been used before */
  record Result<T>(T value, boolean created) {}

  SandboxLedger(Clock clock) {
    this.clock = clock;
  }

  synchronized Result<SandboxPayment> create(NewPayment request, String idempotencyKey) {
    Keyed seen = keys.get("payment:" + idempotencyKey);
    if (seen != null) {
      requireSame(seen, request);
      return new Result<>(payments.get(seen.resultId()), false);
    }
    SandboxPayment payment = new SandboxPayment(newId("pay_"), request, SandboxPayment.PENDING, null, 0,
        clock.instant(), clock.instant());
    payments.put(payment.id(), payment);
    keys.put("payment:" + idempotencyKey, new Keyed(request, payment.id()));
    return new Result<>(payment, true);
  }

  synchronized int size() {
    return payments.size();
  }

  synchronized Optional<SandboxPayment> find(String id) {
    return Optional.ofNullable(payments.get(id));
  }

  /**
   * Approves or declines a pending payment.
   *
   * @return the payment after the change, or empty if it was not pending (nothing changed)
   * @throws SandboxException 404 if there is no such payment
   */
  synchronized Optional<SandboxPayment> decide(String id, boolean approve) {
    SandboxPayment payment = payments.get(id);
    if (payment == null) {
      throw notFound(id);
    }
    if (!payment.status().equals(SandboxPayment.PENDING)) {
      return Optional.empty();
    }
    SandboxPayment decided = payment.decided(approve, clock.instant());
    payments.put(id, decided);
    return Optional.of(decided);
  }

  /**
   * Accepts a refund of {@code amountMinor} (null: all that is left) of a succeeded payment.
   *
   * @throws SandboxException 404 no payment, 409 not succeeded, 422 more than is left or a
   *     reused key
   */
  synchronized Result<SandboxRefund> refund(String paymentId, Long amountMinor, String idempotencyKey) {
    RefundRequest request = new RefundRequest(paymentId, amountMinor);
    Keyed seen = keys.get("refund:" + idempotencyKey);
    if (seen != null) {
      requireSame(seen, request);
      return new Result<>(refunds.get(seen.resultId()), false);
    }
    SandboxPayment payment = payments.get(paymentId);
    if (payment == null) {
      throw notFound(paymentId);
    }
    if (!payment.status().equals(SandboxPayment.SUCCEEDED)) {
      throw new SandboxException(409, "invalid_state", "Payment " + paymentId + " is " + payment.status() + ", not succeeded");
    }
    long left = payment.amount().minorUnits() - payment.refundedMinor();
    long amount = amountMinor == null ? left : amountMinor;
    if (amount <= 0 || amount > left) {
      throw new SandboxException(422, "invalid_request", "Refund amount must be from 1 to " + left + " (what is left)");
    }
    payments.put(paymentId, payment.refunded(amount, clock.instant()));
    SandboxRefund refund = new SandboxRefund(newId("re_"), paymentId, new Money(amount, payment.amount().currency()),
        SandboxPayment.PENDING, clock.instant());
    refunds.put(refund.id(), refund);
    keys.put("refund:" + idempotencyKey, new Keyed(request, refund.id()));
    return new Result<>(refund, true);
  }

  synchronized SandboxRefund completeRefund(String refundId) {
    SandboxRefund done = refunds.get(refundId).succeeded();
    refunds.put(refundId, done);
    return done;
  }

  private record RefundRequest(String paymentId, Long amountMinor) {}

  private static void requireSame(Keyed seen, Object request) {
    if (!Objects.equals(seen.request(), request)) {
      throw new SandboxException(422, "idempotency_conflict",
          "This Idempotency-Key was used with other parameters; use a new key for a new operation");
    }
  }

  static SandboxException notFound(String id) {
    return new SandboxException(404, "not_found", "No payment " + id);
  }

  /** A prefix and 24 random characters: unguessable, so a payment's page needs no login. */
  synchronized String newId(String prefix) {
    StringBuilder id = new StringBuilder(prefix);
    for (int i = 0; i < 24; i++) {
      id.append(ALPHABET[random.nextInt(ALPHABET.length)]);
    }
    return id.toString();
  }
}
