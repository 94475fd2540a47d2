package io.tabletap.server.payment.credit;

import io.tabletap.server.domain.Money;
import io.tabletap.server.domain.NotFoundException;
import io.tabletap.server.domain.PaymentStatus;
import io.tabletap.server.domain.ValidationException;
import io.tabletap.server.order.IdempotencyConflictException;
import io.tabletap.server.payment.GatewayException;
import io.tabletap.server.payment.GatewayPayment;
import io.tabletap.server.payment.GatewayRefund;
import io.tabletap.server.payment.PaymentGateway;
import io.tabletap.server.payment.PaymentRequest;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * Paying with customer credit: a payment is a DEBIT on the {@link CreditLedger}, its transaction id
 * the entry's id; a refund is a REFUND entry against that debit. Everything happens at once, in
 * the local database: a payment is COMPLETED or refused, never pending, and no call blocks on a
 * network.
 *
 * <p>Every refusal is a {@link GatewayException} that is not retryable (trying again gives the
 * same answer): no or unknown account (or another cafe's), a currency other than the account's, an
 * idempotency key reused for something else, a refund beyond what is left of the debit, and
 * insufficient credit. For the last, the message reads like "Insufficient credit: balance A$3.50,
 * needs A$5.00" and the cause is the {@link InsufficientCreditException}, whose amounts a caller
 * may read. A database failure propagates as it is (it is not the customer's fault, and not a
 * gateway answer).
 */
public final class CreditGateway implements PaymentGateway {
  private static final String SYSTEM_ACTOR = "system";

  private final CreditLedger ledger;
  private final Locale locale;

  /** Messages format money in English ("A$3.50"). */
  public CreditGateway(CreditLedger ledger) {
    this(ledger, Locale.ENGLISH);
  }

  /** @param locale formats the money in refusal messages */
  public CreditGateway(CreditLedger ledger, Locale locale) {
    this.ledger = ledger;
    this.locale = locale;
  }

  /**
   * Debits {@code request.creditAccountId()} by {@code request.amount()} with the request's
   * idempotency key and the reason "order N". A retry with the same key returns the same entry and
   * debits nothing more.
   *
   * @return COMPLETED, with the ledger entry id as transaction id
   * @throws GatewayException (not retryable) if the debit is refused
   */
  @Override
  public GatewayPayment initiatePayment(PaymentRequest request) {
    String rawId = request.creditAccountId();
    if (rawId == null || rawId.isBlank()) {
      throw new GatewayException("A customer credit payment needs a credit account id", false);
    }
    UUID accountId = parse(rawId).orElseThrow(() -> noAccount(rawId));
    Money amount = request.amount();
    try {
      CreditAccount account = ledger.account(request.cafeId(), accountId);
      if (!account.currency().equals(amount.currency())) {
        throw new GatewayException("Credit account " + accountId + " holds " + account.currency().getCurrencyCode()
            + ", the payment is in " + amount.currency().getCurrencyCode(), false);
      }
      Posting posting = new Posting(actor(request.actor()), "order " + request.orderNumber(), request.idempotencyKey());
      CreditEntry entry = ledger.debit(request.cafeId(), accountId, amount.minorUnits(), posting, request.paymentId(),
          request.reference()).entry();
      return new GatewayPayment(entry.id().toString(), PaymentStatus.COMPLETED, null, amount, null);
    } catch (NotFoundException e) {
      throw noAccount(rawId);
    } catch (InsufficientCreditException e) {
      String message = "Insufficient credit: balance " + e.balance().format(locale)
          + (e.overdraftLimit().isZero() ? "" : ", overdraft limit " + e.overdraftLimit().format(locale))
          + ", needs " + e.requested().format(locale);
      throw new GatewayException(message, false, e);
    } catch (ValidationException | IdempotencyConflictException e) {
      throw new GatewayException("Credit refused the payment: " + e.getMessage(), false, e);
    }
  }

  /**
   * COMPLETED with the debited amount if {@code transactionId} is a debit in the ledger; FAILED if
   * there is no such debit (it never committed, so nothing was taken).
   */
  @Override
  public GatewayPayment verifyPayment(String transactionId) {
    return parse(transactionId).flatMap(ledger::entry).filter(e -> e.kind() == CreditEntry.Kind.DEBIT)
        .map(e -> new GatewayPayment(transactionId, PaymentStatus.COMPLETED, null, e.amount().times(-1), null))
        .orElseGet(() -> new GatewayPayment(transactionId, PaymentStatus.FAILED, null, null,
            "No credit debit " + transactionId));
  }

  /**
   * Writes a REFUND entry against the debit {@code transactionId}: {@code amount}, or all that is
   * left of the debit when empty. Idempotent by {@code idempotencyKey}; refunds of one debit never
   * add up to more than it.
   *
   * @return completed, with the refund entry's id
   * @throws GatewayException (not retryable) if there is no such debit, the currency differs, or
   *     the amount is more than what is left to refund
   */
  @Override
  public GatewayRefund refundPayment(String transactionId, Optional<Money> amount, String idempotencyKey) {
    CreditEntry debit = parse(transactionId).flatMap(ledger::entry).filter(e -> e.kind() == CreditEntry.Kind.DEBIT)
        .orElseThrow(() -> new GatewayException("No credit debit " + transactionId + " to refund", false));
    if (amount.isPresent() && !amount.get().currency().equals(debit.amount().currency())) {
      throw new GatewayException("The debit was in " + debit.amount().currency().getCurrencyCode() + ", the refund is in "
          + amount.get().currency().getCurrencyCode(), false);
    }
    String cafeId = ledger.cafeOf(debit.accountId())
        .orElseThrow(() -> new GatewayException("No credit account " + debit.accountId(), false));
    String reason = "refund of " + (debit.reference() != null ? debit.reference() : debit.reason());
    try {
      CreditEntry refund = ledger.refund(cafeId, debit.id(), amount.map(Money::minorUnits).orElse(null),
          new Posting(SYSTEM_ACTOR, reason.length() > 200 ? reason.substring(0, 200) : reason, idempotencyKey)).entry();
      return new GatewayRefund(refund.id().toString(), true);
    } catch (ValidationException | IdempotencyConflictException e) {
      throw new GatewayException("Credit refused the refund: " + e.getMessage(), false, e);
    }
  }

  private static GatewayException noAccount(String rawId) {
    return new GatewayException("No credit account '" + rawId + "'", false);
  }

  private static String actor(String actor) {
    if (actor == null || actor.isBlank()) {
      return SYSTEM_ACTOR;
    }
    String trimmed = actor.strip();
    return trimmed.length() > 64 ? trimmed.substring(0, 64) : trimmed;
  }

  private static Optional<UUID> parse(String id) {
    try {
      return id == null ? Optional.empty() : Optional.of(UUID.fromString(id.strip()));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
