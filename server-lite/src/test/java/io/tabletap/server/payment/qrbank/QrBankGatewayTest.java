package io.tabletap.server.payment.qrbank;

import io.tabletap.server.testing.QrDecoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tabletap.server.domain.Money;
import io.tabletap.server.domain.PaymentMethod;
import io.tabletap.server.domain.PaymentStatus;
import io.tabletap.server.menu.DemoCafe;
import io.tabletap.server.payment.GatewayException;
import io.tabletap.server.payment.GatewayPayment;
import io.tabletap.server.payment.GatewayRefund;
import io.tabletap.server.payment.PaymentRequest;
import io.tabletap.server.payment.QrCode;
import io.tabletap.server.store.JdbcBankSettingsStore;
import io.tabletap.server.testing.MutableClock;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QrBankGatewayTest {
  @TempDir Path dir;

  @Test
  void initiatingCreatesAPendingTransferThatExpiresAfterTheCafesMinutes() {
    try (TestBank bank = new TestBank(dir)) {
      PaymentRequest request = TestBank.demoRequest(1240);

      GatewayPayment payment = bank.gateway.initiatePayment(request);

      assertThat(payment.status()).isEqualTo(PaymentStatus.PENDING);
      PaymentReference reference = PaymentReference.parse(payment.transactionId()).orElseThrow();
      assertThat(payment.transactionId()).isEqualTo(reference.toString());
      assertThat(payment.redirectUrl()).isEqualTo("https://pay.example.test/pay/" + reference);
      BankTransfer stored = bank.transfers.findByReference(reference).orElseThrow();
      assertThat(stored.paymentId()).isEqualTo(request.paymentId());
      assertThat(stored.orderId()).isEqualTo(request.orderId());
      assertThat(stored.cafeId()).isEqualTo(DemoCafe.ID);
      assertThat(stored.amount()).isEqualTo(Money.of(1240, "AUD"));
      assertThat(stored.status()).isEqualTo(BankTransfer.Status.PENDING);
      assertThat(stored.expiresAt()).isEqualTo(TestBank.START.plus(Duration.ofMinutes(15)));
    }
  }

  @Test
  void initiatingTwiceWithTheSameIdempotencyKeyReturnsTheSameTransfer() {
    try (TestBank bank = new TestBank(dir)) {
      PaymentRequest request = TestBank.demoRequest(1240);

      String first = bank.gateway.initiatePayment(request).transactionId();
      String second = bank.gateway.initiatePayment(request).transactionId();

      assertThat(second).isEqualTo(first);
    }
  }

  @Test
  void reusingAnIdempotencyKeyForAnotherAmountIsRefused() {
    try (TestBank bank = new TestBank(dir)) {
      PaymentRequest request = TestBank.demoRequest(1240);
      bank.gateway.initiatePayment(request);
      PaymentRequest changed = new PaymentRequest(request.paymentId(), request.orderId(), request.cafeId(), 42,
          PaymentMethod.QR_CODE_BANK_TRANSFER, Money.of(999, "AUD"), request.idempotencyKey(), "Order 42", null, "cashier");

      assertThatThrownBy(() -> bank.gateway.initiatePayment(changed))
          .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.retryable()).isFalse());
    }
  }

  @Test
  void theQrCodeIsForTheTransferAlreadyMadeForThePayment() {
    try (TestBank bank = new TestBank(dir)) {
      PaymentRequest request = TestBank.demoRequest(1240);
      String reference = bank.gateway.initiatePayment(request).transactionId();

      QrCode qr = bank.gateway.generateQrCode(request).orElseThrow();

      assertThat(qr.qrCodeId()).isEqualTo(reference);
      assertThat(qr.paymentUrl()).isEqualTo("https://pay.example.test/pay/" + reference);
      assertThat(qr.expiresAt()).isEqualTo(TestBank.START.plus(Duration.ofMinutes(15)));
      assertThat(qr.amount()).isEqualTo(Money.of(1240, "AUD"));
      assertThat(qr.bankDetails()).isEqualTo(new QrCode.BankDetails("Demo Cafe Pty Ltd", "000000", "12345678", null, null, reference));
      assertThat(QrDecoder.decode(qr.png()).getText()).isEqualTo(qr.payload());
      assertThat(qr.payload()).contains("\"amount\":\"12.40\"", "\"reference\":\"" + reference + "\"");
      assertThat(bank.gateway.qrCodeForPayment(request.paymentId()).orElseThrow().qrCodeId()).isEqualTo(reference);
    }
  }

  @Test
  void aQrCodeAskedForFirstCreatesTheTransferThatInitiatingThenReturns() {
    try (TestBank bank = new TestBank(dir)) {
      PaymentRequest request = TestBank.demoRequest(800);

      QrCode qr = bank.gateway.generateQrCode(request).orElseThrow();

      assertThat(bank.gateway.initiatePayment(request).transactionId()).isEqualTo(qr.qrCodeId());
    }
  }

  @Test
  void aEuroCafeGetsAnEpcCodeWithItsIban() {
    try (TestBank bank = new TestBank(dir)) {
      QrCode qr = bank.gateway.generateQrCode(TestBank.request(TestBank.BERLIN, 1240, "EUR")).orElseThrow();

      assertThat(QrDecoder.decode(qr.png()).getText()).isEqualTo(qr.payload());
      assertThat(qr.payload().split("\n")).startsWith("BCD", "002", "1", "SCT", TestBank.BERLIN_BIC, "Café Zoë GmbH",
          TestBank.BERLIN_IBAN, "EUR12.40");
      assertThat(qr.bankDetails().iban()).isEqualTo(TestBank.BERLIN_IBAN);
      assertThat(qr.expiresAt()).isEqualTo(TestBank.START.plus(Duration.ofMinutes(20)));
    }
  }

  @Test
  void anEpcCafeRefusesAPaymentInAnotherCurrency() {
    try (TestBank bank = new TestBank(dir)) {
      assertThatThrownBy(() -> bank.gateway.initiatePayment(TestBank.request(TestBank.BERLIN, 1240, "AUD")))
          .isInstanceOf(GatewayException.class).hasMessageContaining("EUR only");
    }
  }

  @Test
  void aCafeWithoutBankDetailsCannotTakeQrPayments() {
    try (TestBank bank = new TestBank(dir)) {
      QrBankGateway noDetails = new QrBankGateway(new BankSettingsService(new JdbcBankSettingsStore(bank.db, bank.clock), bank.cafes),
          bank.transfers, new SecureRandom(), () -> "http://x", bank.clock);
      assertThatThrownBy(() -> noDetails.initiatePayment(TestBank.request("nowhere", 100, "AUD")))
          .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.retryable()).isFalse());
    }
  }

  @Test
  void aTakenReferenceIsRefusedByTheDatabaseAndDrawnAgain() {
    ScriptedRandom random = new ScriptedRandom().thenReference("7KQ4M9X").thenReference("7KQ4M9X");
    try (TestBank bank = new TestBank(dir, random)) {
      String first = bank.gateway.initiatePayment(TestBank.demoRequest(100)).transactionId();
      BankTransfer colliding = bank.transfers.findByReference(PaymentReference.parse(first).orElseThrow()).orElseThrow();
      assertThat(bank.transfers.insert(new BankTransfer(colliding.reference(), UUID.randomUUID(), UUID.randomUUID(), 1, DemoCafe.ID,
          "another-key", colliding.amount(), colliding.received(), colliding.status(), Set.of(), "x", colliding.account(),
          colliding.format(), TestBank.START, TestBank.START, null, TestBank.START)))
          .isInstanceOf(BankTransferStore.ReferenceTaken.class);

      String second = bank.gateway.initiatePayment(TestBank.demoRequest(200)).transactionId();

      assertThat(first).isEqualTo("TT-7KQ4-M9X" + PaymentReference.checkSymbol("7KQ4M9X"));
      assertThat(second).isNotEqualTo(first);
      assertThat(PaymentReference.parse(second)).isPresent();
    }
  }

  @Test
  void aHundredThousandPaymentsGetAHundredThousandDifferentReferences() {
    FakeBankTransferStore store = new FakeBankTransferStore();
    BankSettingsService settings = new BankSettingsService(new InMemorySettings(), null);
    QrBankGateway gateway = new QrBankGateway(settings, store, new SecureRandom(), () -> "http://x", new MutableClock(TestBank.START));
    Set<String> references = new HashSet<>();

    for (int i = 0; i < 100_000; i++) {
      references.add(gateway.initiatePayment(TestBank.demoRequest(100 + i)).transactionId());
    }

    assertThat(references).hasSize(100_000);
    assertThat(store.size()).isEqualTo(100_000);
    assertThat(references).allMatch(r -> PaymentReference.parse(r).map(Object::toString).equals(Optional.of(r)));
  }

  @Test
  void verifyingFollowsTheTransferFromPendingToExpired() {
    try (TestBank bank = new TestBank(dir)) {
      String reference = bank.gateway.initiatePayment(TestBank.demoRequest(1240)).transactionId();
      assertThat(bank.gateway.verifyPayment(reference).status()).isEqualTo(PaymentStatus.PENDING);

      bank.clock.advance(Duration.ofMinutes(15));

      GatewayPayment expired = bank.gateway.verifyPayment(reference);
      assertThat(expired.status()).isEqualTo(PaymentStatus.EXPIRED);
      assertThat(expired.capturedAmount()).isNull();
    }
  }

  @Test
  void verifyingAMatchedTransferSaysCompletedWithWhatArrived() {
    try (TestBank bank = new TestBank(dir)) {
      String reference = bank.gateway.initiatePayment(TestBank.demoRequest(1240)).transactionId();
      bank.reconciler.reconcile(bank.received("evt-1", reference.toLowerCase().replace("-", ""), 1240));

      GatewayPayment paid = bank.gateway.verifyPayment(reference);

      assertThat(paid.status()).isEqualTo(PaymentStatus.COMPLETED);
      assertThat(paid.capturedAmount()).isEqualTo(Money.of(1240, "AUD"));
    }
  }

  @Test
  void verifyingAnUnknownReferenceIsAnError() {
    try (TestBank bank = new TestBank(dir)) {
      assertThatThrownBy(() -> bank.gateway.verifyPayment("TT-2222-2222")).isInstanceOf(GatewayException.class);
    }
  }

  @Test
  void aRefundIsRecordedForStaffOnceAndAnsweredAsCompleted() {
    try (TestBank bank = new TestBank(dir)) {
      String reference = bank.gateway.initiatePayment(TestBank.demoRequest(1240)).transactionId();
      bank.reconciler.reconcile(bank.received("evt-1", reference, 1240));

      GatewayRefund refund = bank.gateway.refundPayment(reference, Optional.of(Money.of(400, "AUD")), "refund-1");
      GatewayRefund again = bank.gateway.refundPayment(reference, Optional.of(Money.of(400, "AUD")), "refund-1");

      assertThat(refund.completed()).isTrue();
      assertThat(again).isEqualTo(refund);
      PaymentReference ref = PaymentReference.parse(reference).orElseThrow();
      assertThat(bank.transfers.refunds(ref)).singleElement().satisfies(r -> {
        assertThat(r.amount()).isEqualTo(Money.of(400, "AUD"));
        assertThat(r.payerName()).isEqualTo("J CITIZEN");
        assertThat(r.id().toString()).isEqualTo(refund.refundId());
      });
    }
  }

  @Test
  void refundsNeverAddUpToMoreThanArrived() {
    try (TestBank bank = new TestBank(dir)) {
      String reference = bank.gateway.initiatePayment(TestBank.demoRequest(1240)).transactionId();
      assertThatThrownBy(() -> bank.gateway.refundPayment(reference, Optional.empty(), "refund-0"))
          .isInstanceOf(GatewayException.class).hasMessageContaining("Nothing to refund");
      bank.reconciler.reconcile(bank.received("evt-1", reference, 1240));

      bank.gateway.refundPayment(reference, Optional.empty(), "refund-1");

      assertThatThrownBy(() -> bank.gateway.refundPayment(reference, Optional.of(Money.of(1, "AUD")), "refund-2"))
          .isInstanceOf(GatewayException.class);
      assertThat(bank.transfers.refunds(PaymentReference.parse(reference).orElseThrow()))
          .extracting(ManualRefund::amount).containsExactly(Money.of(1240, "AUD"));
    }
  }

  /** Settings for the demo cafe only, without a database. */
  private static final class InMemorySettings implements BankSettingsStore {
    @Override
    public Optional<BankSettings> find(String cafeId) {
      return DemoCafe.ID.equals(cafeId) ? Optional.of(BankSettingsService.demoCafe(cafeId)) : Optional.empty();
    }

    @Override
    public void save(BankSettings settings) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean insertIfAbsent(BankSettings settings) {
      throw new UnsupportedOperationException();
    }
  }
}
