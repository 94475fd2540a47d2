package io.tabletap.server.payment.qrbank;

import io.tabletap.server.domain.Money;
import io.tabletap.server.domain.PaymentMethod;
import io.tabletap.server.domain.PaymentStatus;
import io.tabletap.server.payment.GatewayException;
import io.tabletap.server.payment.GatewayPayment;
import io.tabletap.server.payment.GatewayRefund;
import io.tabletap.server.payment.PaymentGateway;
import io.tabletap.server.payment.PaymentRequest;
import io.tabletap.server.payment.QrCode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Payment by bank transfer to the cafe's own account, shown as a QR code (the seed's {@code
 * QRCodeBankTransferGateway}). No provider is called: a payment is a row in {@code
 * bank_transfers} under a fresh {@link PaymentReference}, and the bank's {@code transfer.received}
 * notifications are matched to it by {@link BankTransferReconciler}.
 *
 * <ul>
 *   <li>{@link #initiatePayment} creates the transfer (once per idempotency key; a retry returns
 *       the same one) and answers PENDING with the reference as transaction id and the pay page as
 *       redirect URL.
 *   <li>{@link #generateQrCode} answers the QR for the same transfer (creating it if need be).
 *   <li>{@link #verifyPayment} reads the row: COMPLETED once paid, EXPIRED when its time is up
 *       unpaid, else PENDING.
 *   <li>{@link #refundPayment} records a refund for staff to pay out by hand and answers it as
 *       completed (docs/decisions/0007-bank-transfer-refunds.md).
 * </ul>
 *
 * <p>Every failure is a {@link GatewayException}; only "could not draw a free reference" is
 * retryable. Thread-safe: all state is in the database.
 */
public final class QrBankGateway implements PaymentGateway {
  static final int MAX_REFERENCE_ATTEMPTS = 8;
  static final int MAX_DESCRIPTION = 140;
  private static final Logger log = LoggerFactory.getLogger(QrBankGateway.class);

  private final BankSettingsService settings;
  private final BankTransferStore transfers;
  private final RandomGenerator random;
  private final Supplier<String> publicUrl;
  private final Clock clock;

  /**
   * @param random draws references; a {@code SecureRandom} outside tests
   * @param publicUrl the base URL customers' phones reach this server by ({@code
   *     http://192.168.1.20:8080}), asked each time a pay page link is made
   */
  public QrBankGateway(BankSettingsService settings, BankTransferStore transfers, RandomGenerator random,
      Supplier<String> publicUrl, Clock clock) {
    this.settings = settings;
    this.transfers = transfers;
    this.random = random;
    this.publicUrl = publicUrl;
    this.clock = clock;
  }

  @Override
  public GatewayPayment initiatePayment(PaymentRequest request) {
    return view(transferFor(request));
  }

  @Override
  public Optional<QrCode> generateQrCode(PaymentRequest request) {
    return Optional.of(qrCode(transferFor(request)));
  }

  /** The QR of the transfer already made for {@code paymentId}, if there is one. */
  public Optional<QrCode> qrCodeForPayment(UUID paymentId) {
    return transfers.findByPaymentId(paymentId).map(this::qrCode);
  }

  @Override
  public GatewayPayment verifyPayment(String transactionId) {
    return view(find(transactionId));
  }

  /**
   * Records a refund that staff pay out by hand and answers {@code completed = true}: no provider
   * will confirm it later. {@code amount} defaults to the transfer's amount (or what arrived, if
   * less); refunds never add up to more than arrived. The same idempotency key returns the same
   * refund.
   */
  @Override
  public GatewayRefund refundPayment(String transactionId, Optional<Money> amount, String idempotencyKey) {
    PaymentReference reference = PaymentReference.parse(transactionId)
        .orElseThrow(() -> new GatewayException("'" + transactionId + "' is not a bank transfer reference", false));
    if (idempotencyKey == null || idempotencyKey.isBlank()) {
      throw new GatewayException("A refund needs an idempotency key", false);
    }
    Instant now = clock.instant();
    ManualRefund refund = transfers.refund(reference, idempotencyKey, (transfer, alreadyRefunded, payerName) -> {
      Money refundable = transfer.received().minus(alreadyRefunded);
      Money wanted = amount.orElseGet(() -> min(transfer.amount(), refundable));
      if (!wanted.currency().equals(transfer.amount().currency())) {
        throw new GatewayException("Refund in " + wanted.currency() + " of a transfer in " + transfer.amount().currency(), false);
      }
      if (wanted.isNegative() || wanted.isZero()) {
        throw new GatewayException("Nothing to refund on " + reference + ": " + transfer.received() + " arrived, "
            + alreadyRefunded + " refunded", false);
      }
      if (wanted.compareTo(refundable) > 0) {
        throw new GatewayException("Cannot refund " + wanted + " on " + reference + ": only " + refundable + " is left of what arrived",
            false);
      }
      return new ManualRefund(UUID.randomUUID(), reference, idempotencyKey, wanted, payerName, now);
    }).orElseThrow(() -> new GatewayException("No bank transfer " + reference, false));
    log.info("Manual refund {} of {} recorded on {}: staff pay it out", refund.id(), refund.amount(), reference);
    return new GatewayRefund(refund.id().toString(), true);
  }

  /** The pay page of a reference: {@code <publicUrl>/pay/TT-7KQ4-M9XC}. */
  public String paymentUrl(PaymentReference reference) {
    String base = publicUrl.get();
    return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/pay/" + reference;
  }

  private BankTransfer transferFor(PaymentRequest request) {
    if (request.method() != PaymentMethod.QR_CODE_BANK_TRANSFER) {
      throw new GatewayException("The QR bank gateway takes QR_CODE_BANK_TRANSFER, not " + request.method(), false);
    }
    String key = request.idempotencyKey() == null || request.idempotencyKey().isBlank()
        ? "payment:" + request.paymentId() : request.idempotencyKey();
    Optional<BankTransfer> existing = transfers.findByIdempotencyKey(key);
    if (existing.isPresent()) {
      return sameRequest(existing.get(), request);
    }
    BankSettings cafe = settings.find(request.cafeId())
        .orElseThrow(() -> new GatewayException("Cafe '" + request.cafeId() + "' has no bank details for QR payments", false));
    requireFits(cafe, request.amount());
    Instant now = clock.instant();
    Instant expiresAt = now.plus(Duration.ofMinutes(cafe.expiryMinutes()));
    for (int attempt = 1; attempt <= MAX_REFERENCE_ATTEMPTS; attempt++) {
      BankTransfer fresh = new BankTransfer(PaymentReference.random(random), request.paymentId(), request.orderId(),
          request.orderNumber(), request.cafeId(), key, request.amount(), Money.zero(request.amount().currency()),
          BankTransfer.Status.PENDING, EnumSet.noneOf(TransferFlag.class), description(request), cafe.account(), cafe.format(),
          now, expiresAt, null, now);
      BankTransferStore.Insert result = transfers.insert(fresh);
      if (result instanceof BankTransferStore.Inserted inserted) {
        log.info("Bank transfer {} for payment {} of {} due by {}", fresh.reference(), request.paymentId(), request.amount(), expiresAt);
        return inserted.transfer();
      }
      if (result instanceof BankTransferStore.AlreadyExists already) {
        return sameRequest(already.existing(), request);
      }
      log.debug("Reference {} was taken; drawing another (attempt {})", fresh.reference(), attempt);
    }
    throw new GatewayException("Could not draw a free payment reference in " + MAX_REFERENCE_ATTEMPTS + " attempts", true);
  }

  private static BankTransfer sameRequest(BankTransfer existing, PaymentRequest request) {
    if (!existing.paymentId().equals(request.paymentId()) || !existing.amount().equals(request.amount())) {
      throw new GatewayException("Idempotency key '" + existing.idempotencyKey() + "' belongs to another payment or amount", false);
    }
    return existing;
  }

  private static void requireFits(BankSettings cafe, Money amount) {
    String currency = amount.currency().getCurrencyCode();
    boolean fits = switch (cafe.format()) {
      case EPC -> currency.equals("EUR") && cafe.account().iban() != null;
      case TABLETAP_JSON -> currency.equals("AUD") && cafe.account().bsb() != null;
    };
    if (!fits) {
      throw new GatewayException("Cafe '" + cafe.cafeId() + "' cannot take " + currency + " by " + cafe.format().code()
          + " QR codes" + (cafe.format() == QrFormat.EPC ? " (EPC is for EUR only)" : ""), false);
    }
    if (amount.isNegative() || amount.isZero()) {
      throw new GatewayException("A bank transfer amount must be positive", false);
    }
  }

  private static String description(PaymentRequest request) {
    String text = request.reference() == null || request.reference().isBlank()
        ? "Order " + request.orderNumber() : request.reference().strip();
    return text.length() > MAX_DESCRIPTION ? text.substring(0, MAX_DESCRIPTION) : text;
  }

  private BankTransfer find(String transactionId) {
    return PaymentReference.parse(transactionId).flatMap(transfers::findByReference)
        .orElseThrow(() -> new GatewayException("No bank transfer '" + transactionId + "'", false));
  }

  private QrCode qrCode(BankTransfer t) {
    String payload = QrPayloads.forTransfer(t);
    BankAccount a = t.account();
    return new QrCode(t.reference().toString(), QrImages.png(payload), payload, paymentUrl(t.reference()), t.expiresAt(),
        new QrCode.BankDetails(a.accountName(), a.bsb(), a.accountNumber(), a.iban(), a.bic(), t.reference().toString()),
        t.amount());
  }

  private GatewayPayment view(BankTransfer t) {
    Money captured = t.received().isZero() ? null : t.received();
    String url = paymentUrl(t.reference());
    String flags = TransferFlag.join(t.flags());
    if (t.status() == BankTransfer.Status.PAID) {
      return new GatewayPayment(t.reference().toString(), PaymentStatus.COMPLETED, url, captured, flags);
    }
    if (t.isExpiredAt(clock.instant())) {
      return new GatewayPayment(t.reference().toString(), PaymentStatus.EXPIRED, url, captured,
          "Expired at " + t.expiresAt() + (captured == null ? "" : " with " + captured + " of " + t.amount() + " received"));
    }
    return new GatewayPayment(t.reference().toString(), PaymentStatus.PENDING, url, captured, flags);
  }

  private static Money min(Money a, Money b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
