package io.tabletap.server.payment.credit;

import static io.tabletap.server.payment.credit.CreditOnH2.CAFE;
import static io.tabletap.server.payment.credit.CreditOnH2.OTHER_CAFE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.tabletap.server.domain.Money;
import io.tabletap.server.domain.PaymentMethod;
import io.tabletap.server.domain.PaymentStatus;
import io.tabletap.server.payment.GatewayException;
import io.tabletap.server.payment.GatewayPayment;
import io.tabletap.server.payment.GatewayRefund;
import io.tabletap.server.payment.PaymentGateway;
import io.tabletap.server.payment.PaymentGateways;
import io.tabletap.server.payment.PaymentRequest;
import io.tabletap.server.payment.credit.CreditEntry.Kind;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The credit gateway, used only through the {@link PaymentGateway} port, over a real ledger on H2. */
class CreditGatewayTest {
  @TempDir Path dir;
  CreditOnH2 h2;
  PaymentGateway gateway;

  @BeforeEach
  void open() {
    h2 = new CreditOnH2(dir);
    gateway = PaymentGateways.of(null, null, new CreditGateway(h2.ledger), null).gatewayFor(PaymentMethod.CUSTOMER_CREDIT);
  }

  @AfterEach
  void close() {
    h2.close();
  }

  @Test
  void aPaymentDebitsTheAccountAndCompletesAtOnceWithTheLedgerEntryAsTransactionId() {
    CreditAccount account = h2.accountWith(2000, 0);
    PaymentRequest request = request(account.id().toString(), 1240, "pay-key-1");

    GatewayPayment payment = gateway.initiatePayment(request);

    assertThat(payment.status()).isEqualTo(PaymentStatus.COMPLETED);
    assertThat(payment.capturedAmount()).isEqualTo(Money.of(1240, "AUD"));
    assertThat(payment.redirectUrl()).isNull();
    CreditEntry debit = h2.allEntries(account.id()).get(0);
    assertThat(debit.id().toString()).isEqualTo(payment.transactionId());
    assertThat(debit.kind()).isEqualTo(Kind.DEBIT);
    assertThat(debit.amount().minorUnits()).isEqualTo(-1240);
    assertThat(debit.reason()).isEqualTo("order 42");
    assertThat(debit.actor()).isEqualTo("till-7");
    assertThat(debit.paymentId()).isEqualTo(request.paymentId());
    assertThat(debit.reference()).isEqualTo("Demo Cafe order 42");
    assertThat(debit.idempotencyKey()).isEqualTo("pay-key-1");
    assertThat(h2.ledger.balance(CAFE, account.id()).minorUnits()).isEqualTo(760);
  }

  @Test
  void aRetriedPaymentWithTheSameKeyReturnsTheSameEntryAndDebitsOnce() {
    CreditAccount account = h2.accountWith(2000, 0);
    PaymentRequest request = request(account.id().toString(), 500, "pay-key-1");

    GatewayPayment first = gateway.initiatePayment(request);
    GatewayPayment again = gateway.initiatePayment(request);

    assertThat(again.transactionId()).isEqualTo(first.transactionId());
    assertThat(h2.ledger.balance(CAFE, account.id()).minorUnits()).isEqualTo(1500);
  }

  @Test
  void insufficientCreditIsAPermanentRefusalThatSaysHowMuchThereIsAndWritesNothing() {
    CreditAccount account = h2.accountWith(350, 0);

    assertThatThrownBy(() -> gateway.initiatePayment(request(account.id().toString(), 500, "k")))
        .isInstanceOfSatisfying(GatewayException.class, e -> {
          assertThat(e.retryable()).isFalse();
          assertThat(e.getMessage()).isEqualTo("Insufficient credit: balance A$3.50, needs A$5.00");
          assertThat(e.getCause()).isInstanceOf(InsufficientCreditException.class);
        });
    assertThat(h2.allEntries(account.id())).hasSize(1);
  }

  @Test
  void theInsufficientCreditMessageNamesTheOverdraftLimitWhenThereIsOne() {
    CreditAccount account = h2.accountWith(350, 100);

    assertThatThrownBy(() -> gateway.initiatePayment(request(account.id().toString(), 500, "k")))
        .hasMessage("Insufficient credit: balance A$3.50, overdraft limit A$1.00, needs A$5.00");
  }

  @Test
  void aPaymentWithoutACreditAccountIdIsAPermanentRefusal() {
    for (String missing : new String[] {null, " "}) {
      assertThatThrownBy(() -> gateway.initiatePayment(request(missing, 500, "k")))
          .isInstanceOfSatisfying(GatewayException.class, e -> {
            assertThat(e.retryable()).isFalse();
            assertThat(e.getMessage()).isEqualTo("A customer credit payment needs a credit account id");
          });
    }
  }

  @Test
  void anUnknownMalformedOrOtherCafesAccountIsAPermanentRefusal() {
    CreditAccount theirs = h2.ledger.createAccount(OTHER_CAFE, new NewAccount("Theirs", null, null, null));
    h2.ledger.topUp(OTHER_CAFE, theirs.id(), 5000, CreditOnH2.by("their-till"));

    for (String id : new String[] {UUID.randomUUID().toString(), "not-a-uuid", theirs.id().toString()}) {
      assertThatThrownBy(() -> gateway.initiatePayment(request(id, 500, "k")))
          .isInstanceOfSatisfying(GatewayException.class, e -> {
            assertThat(e.retryable()).isFalse();
            assertThat(e.getMessage()).startsWith("No credit account");
          });
    }
    assertThat(h2.ledger.balance(OTHER_CAFE, theirs.id()).minorUnits()).isEqualTo(5000);
  }

  @Test
  void aPaymentInAnotherCurrencyThanTheAccountsIsRefused() {
    CreditAccount account = h2.accountWith(5000, 0);
    PaymentRequest euros = new PaymentRequest(UUID.randomUUID(), UUID.randomUUID(), CAFE, 1, PaymentMethod.CUSTOMER_CREDIT,
        Money.of(500, "EUR"), "k", "ref", account.id().toString(), "till-7");

    assertThatThrownBy(() -> gateway.initiatePayment(euros))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.retryable()).isFalse())
        .hasMessageContaining("AUD").hasMessageContaining("EUR");
    assertThat(h2.allEntries(account.id())).hasSize(1);
  }

  @Test
  void verifyingADebitSaysCompletedAndAnythingElseSaysFailed() {
    CreditAccount account = h2.accountWith(2000, 0);
    GatewayPayment paid = gateway.initiatePayment(request(account.id().toString(), 700, "k"));
    String topUpId = h2.allEntries(account.id()).get(1).id().toString();

    GatewayPayment verified = gateway.verifyPayment(paid.transactionId());

    assertThat(verified.status()).isEqualTo(PaymentStatus.COMPLETED);
    assertThat(verified.capturedAmount()).isEqualTo(Money.of(700, "AUD"));
    assertThat(gateway.verifyPayment(UUID.randomUUID().toString()).status()).isEqualTo(PaymentStatus.FAILED);
    assertThat(gateway.verifyPayment("garbage").status()).isEqualTo(PaymentStatus.FAILED);
    assertThat(gateway.verifyPayment(topUpId).status()).isEqualTo(PaymentStatus.FAILED);
  }

  @Test
  void aRefundWritesARefundEntryAgainstTheDebitPartThenTheRest() {
    CreditAccount account = h2.accountWith(2000, 0);
    String tx = gateway.initiatePayment(request(account.id().toString(), 1000, "k")).transactionId();

    GatewayRefund part = gateway.refundPayment(tx, Optional.of(Money.of(300, "AUD")), "refund-1");
    GatewayRefund rest = gateway.refundPayment(tx, Optional.empty(), "refund-2");

    assertThat(part.completed()).isTrue();
    assertThat(rest.completed()).isTrue();
    assertThat(h2.allEntries(account.id())).extracting(CreditEntry::kind, e -> e.amount().minorUnits(), e -> e.refundOf() == null ? null : e.refundOf().toString())
        .startsWith(tuple(Kind.REFUND, 700L, tx), tuple(Kind.REFUND, 300L, tx));
    assertThat(h2.allEntries(account.id()).get(0).id().toString()).isEqualTo(rest.refundId());
    assertThat(h2.ledger.balance(CAFE, account.id()).minorUnits()).isEqualTo(2000);
  }

  @Test
  void aRetriedRefundWithTheSameKeyRefundsOnce() {
    CreditAccount account = h2.accountWith(2000, 0);
    String tx = gateway.initiatePayment(request(account.id().toString(), 1000, "k")).transactionId();

    GatewayRefund first = gateway.refundPayment(tx, Optional.of(Money.of(300, "AUD")), "refund-1");
    GatewayRefund again = gateway.refundPayment(tx, Optional.of(Money.of(300, "AUD")), "refund-1");

    assertThat(again.refundId()).isEqualTo(first.refundId());
    assertThat(h2.ledger.balance(CAFE, account.id()).minorUnits()).isEqualTo(1300);
  }

  @Test
  void aRefundOfMoreThanIsLeftOfTheDebitIsAPermanentRefusal() {
    CreditAccount account = h2.accountWith(2000, 0);
    String tx = gateway.initiatePayment(request(account.id().toString(), 1000, "k")).transactionId();
    gateway.refundPayment(tx, Optional.of(Money.of(800, "AUD")), "refund-1");

    assertThatThrownBy(() -> gateway.refundPayment(tx, Optional.of(Money.of(201, "AUD")), "refund-2"))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.retryable()).isFalse())
        .hasMessageContaining("2.00 AUD");
    assertThat(h2.ledger.balance(CAFE, account.id()).minorUnits()).isEqualTo(1800);
  }

  @Test
  void aRefundOfSomethingThatIsNoDebitIsAPermanentRefusal() {
    CreditAccount account = h2.accountWith(2000, 0);
    String topUpId = h2.allEntries(account.id()).get(0).id().toString();

    for (String tx : new String[] {topUpId, UUID.randomUUID().toString(), "garbage"}) {
      assertThatThrownBy(() -> gateway.refundPayment(tx, Optional.empty(), "r"))
          .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.retryable()).isFalse());
    }
    assertThat(h2.ledger.balance(CAFE, account.id()).minorUnits()).isEqualTo(2000);
  }

  private static PaymentRequest request(String accountId, long amount, String key) {
    return new PaymentRequest(UUID.randomUUID(), UUID.randomUUID(), CAFE, 42, PaymentMethod.CUSTOMER_CREDIT,
        Money.of(amount, "AUD"), key, "Demo Cafe order 42", accountId, "till-7");
  }
}
