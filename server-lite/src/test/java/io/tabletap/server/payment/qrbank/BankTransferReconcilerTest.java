package io.tabletap.server.payment.qrbank;

import static org.assertj.core.api.Assertions.assertThat;

import io.tabletap.server.domain.Money;
import io.tabletap.server.payment.qrbank.ReconciliationResult.Outcome;
import io.tabletap.server.payment.qrbank.UnmatchedTransfer.Reason;
import io.tabletap.server.payment.PaymentRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BankTransferReconcilerTest {
  @TempDir Path dir;
  TestBank bank;
  PaymentRequest request;
  String reference;

  @BeforeEach
  void aTransferOf1240IsWaiting() {
    bank = new TestBank(dir);
    request = TestBank.demoRequest(1240);
    reference = bank.gateway.initiatePayment(request).transactionId();
  }

  @AfterEach
  void close() {
    bank.close();
  }

  @Test
  void theExactAmountMatchesAndCompletesThePayment() {
    ReconciliationResult result = bank.reconciler.reconcile(bank.received("evt-1", reference, 1240));

    assertThat(result.outcome()).isEqualTo(Outcome.MATCHED);
    assertThat(result.paymentId()).isEqualTo(request.paymentId());
    assertThat(result.orderId()).isEqualTo(request.orderId());
    assertThat(result.reference()).isEqualTo(reference);
    assertThat(result.received()).isEqualTo(Money.of(1240, "AUD"));
    assertThat(result.flags()).isEmpty();
    assertThat(result.flag()).isNull();
    assertThat(result.duplicate()).isFalse();
    assertThat(transfer().status()).isEqualTo(BankTransfer.Status.PAID);
    assertThat(transfer().paidAt()).isEqualTo(TestBank.START);
  }

  @Test
  void lessStaysPendingFlaggedUnderpaidUntilATopUpMakesItExact() {
    ReconciliationResult part = bank.reconciler.reconcile(bank.received("evt-1", reference, 1000));

    assertThat(part.outcome()).isEqualTo(Outcome.PARTIAL);
    assertThat(part.received()).isEqualTo(Money.of(1000, "AUD"));
    assertThat(part.flags()).containsExactly(TransferFlag.UNDERPAID);
    assertThat(transfer().status()).isEqualTo(BankTransfer.Status.PENDING);
    assertThat(transfer().outstanding()).isEqualTo(Money.of(240, "AUD"));

    bank.clock.advance(Duration.ofMinutes(3));
    ReconciliationResult topUp = bank.reconciler.reconcile(bank.received("evt-2", reference, 240));

    assertThat(topUp.outcome()).isEqualTo(Outcome.MATCHED);
    assertThat(topUp.received()).isEqualTo(Money.of(1240, "AUD"));
    assertThat(topUp.flags()).isEmpty();
    assertThat(transfer().status()).isEqualTo(BankTransfer.Status.PAID);
    assertThat(transfer().flags()).isEmpty();
  }

  @Test
  void moreMatchesFlaggedOverpaidWithTheSurplusToGiveBack() {
    ReconciliationResult result = bank.reconciler.reconcile(bank.received("evt-1", reference, 1500));

    assertThat(result.outcome()).isEqualTo(Outcome.MATCHED);
    assertThat(result.flags()).containsExactly(TransferFlag.OVERPAID);
    assertThat(result.flag()).isEqualTo("OVERPAID");
    assertThat(result.received()).isEqualTo(Money.of(1500, "AUD"));
    assertThat(result.surplus()).isEqualTo(Money.of(260, "AUD"));
  }

  @Test
  void moneyForAnAlreadyPaidTransferIsAddedAndFlaggedOverpaid() {
    bank.reconciler.reconcile(bank.received("evt-1", reference, 1240));

    ReconciliationResult again = bank.reconciler.reconcile(bank.received("evt-2", reference, 1240));

    assertThat(again.outcome()).isEqualTo(Outcome.MATCHED);
    assertThat(again.flags()).containsExactly(TransferFlag.OVERPAID);
    assertThat(again.surplus()).isEqualTo(Money.of(1240, "AUD"));
  }

  @Test
  void anUnknownReferenceIsKeptForStaff() {
    String unknown = PaymentReference.random(new java.util.SplittableRandom(99)).toString();

    ReconciliationResult result = bank.reconciler.reconcile(bank.received("evt-1", unknown, 1240));

    assertThat(result.outcome()).isEqualTo(Outcome.UNMATCHED);
    assertThat(result.paymentId()).isNull();
    assertThat(result.unmatchedReason()).isEqualTo(Reason.UNKNOWN_REFERENCE);
    assertThat(bank.reconciler.unmatchedTransfers()).singleElement().satisfies(u -> {
      assertThat(u.eventId()).isEqualTo("evt-1");
      assertThat(u.rawReference()).isEqualTo(unknown);
      assertThat(u.amount()).isEqualTo(Money.of(1240, "AUD"));
      assertThat(u.payerName()).isEqualTo("J CITIZEN");
      assertThat(u.reason()).isEqualTo(Reason.UNKNOWN_REFERENCE);
    });
    assertThat(transfer().received().isZero()).isTrue();
  }

  @Test
  void aMistypedReferenceIsRejectedByItsCheckSymbolNotMatchedToAnotherTransfer() {
    String symbols = PaymentReference.parse(reference).orElseThrow().symbols();
    String typo = symbols.substring(0, 3) + (symbols.charAt(3) == 'Z' ? 'Y' : 'Z') + symbols.substring(4);
    String swapped = symbols.charAt(0) == symbols.charAt(1) ? null : "" + symbols.charAt(1) + symbols.charAt(0) + symbols.substring(2);

    ReconciliationResult result = bank.reconciler.reconcile(bank.received("evt-1", "TT-" + typo, 1240));
    if (swapped != null) {
      assertThat(bank.reconciler.reconcile(bank.received("evt-2", swapped, 1240)).unmatchedReason())
          .isEqualTo(Reason.UNREADABLE_REFERENCE);
    }

    assertThat(result.outcome()).isEqualTo(Outcome.UNMATCHED);
    assertThat(result.unmatchedReason()).isEqualTo(Reason.UNREADABLE_REFERENCE);
    assertThat(transfer().received().isZero()).isTrue();
  }

  @Test
  void theReferenceMatchesWhateverTheCaseSpacesOrDashes() {
    String symbols = PaymentReference.parse(reference).orElseThrow().symbols();
    String typed = " tt " + symbols.substring(0, 4).toLowerCase() + " " + symbols.substring(4) + " ";

    assertThat(bank.reconciler.reconcile(bank.received("evt-1", typed, 620)).outcome()).isEqualTo(Outcome.PARTIAL);
    assertThat(bank.reconciler.reconcile(bank.received("evt-2", symbols, 620)).outcome()).isEqualTo(Outcome.MATCHED);
  }

  @Test
  void moneyAfterTheExpiryIsStillRecordedButFlaggedLate() {
    bank.clock.advance(Duration.ofMinutes(15));

    ReconciliationResult result = bank.reconciler.reconcile(bank.received("evt-1", reference, 1240));

    assertThat(result.outcome()).isEqualTo(Outcome.MATCHED);
    assertThat(result.flags()).containsExactly(TransferFlag.LATE);
    assertThat(transfer().status()).isEqualTo(BankTransfer.Status.PAID);
    assertThat(transfer().flags()).containsExactly(TransferFlag.LATE);
  }

  @Test
  void moneyReceivedBeforeTheExpiryButReportedAfterItIsNotLate() {
    TransferReceived beforeExpiry = bank.received("evt-1", reference, 1240);
    bank.clock.advance(Duration.ofHours(1));

    assertThat(bank.reconciler.reconcile(beforeExpiry).flags()).isEmpty();
  }

  @Test
  void aLatePartStaysUnderpaidAndLate() {
    bank.clock.advance(Duration.ofMinutes(16));

    ReconciliationResult result = bank.reconciler.reconcile(bank.received("evt-1", reference, 1000));

    assertThat(result.outcome()).isEqualTo(Outcome.PARTIAL);
    assertThat(result.flags()).containsExactlyInAnyOrder(TransferFlag.UNDERPAID, TransferFlag.LATE);
    assertThat(result.flag()).isEqualTo("UNDERPAID,LATE");
  }

  @Test
  void theSameEventTwiceIsCountedOnceAndAnsweredWithTheFirstResult() {
    ReconciliationResult first = bank.reconciler.reconcile(bank.received("evt-1", reference, 1000));

    ReconciliationResult second = bank.reconciler.reconcile(bank.received("evt-1", reference, 1000));

    assertThat(second.duplicate()).isTrue();
    assertThat(second.outcome()).isEqualTo(first.outcome());
    assertThat(second.received()).isEqualTo(Money.of(1000, "AUD"));
    assertThat(second.flags()).isEqualTo(first.flags());
    assertThat(second.paymentId()).isEqualTo(first.paymentId());
    assertThat(transfer().received()).isEqualTo(Money.of(1000, "AUD"));
  }

  @Test
  void anUnmatchedEventTwiceIsKeptOnce() {
    bank.reconciler.reconcile(bank.received("evt-9", "no reference at all", 500));

    ReconciliationResult again = bank.reconciler.reconcile(bank.received("evt-9", "no reference at all", 500));

    assertThat(again.duplicate()).isTrue();
    assertThat(again.outcome()).isEqualTo(Outcome.UNMATCHED);
    assertThat(bank.reconciler.unmatchedTransfers()).hasSize(1);
  }

  @Test
  void theSameEventDeliveredTwiceAtOnceIsCountedOnce() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<ReconciliationResult>> results = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        Callable<ReconciliationResult> call = () -> {
          start.await();
          return bank.reconciler.reconcile(bank.received("evt-1", reference, 700));
        };
        results.add(pool.submit(call));
      }
      start.countDown();
      int firsts = 0;
      for (Future<ReconciliationResult> result : results) {
        ReconciliationResult r = result.get(30, TimeUnit.SECONDS);
        assertThat(r.received()).isEqualTo(Money.of(700, "AUD"));
        firsts += r.duplicate() ? 0 : 1;
      }
      assertThat(firsts).isEqualTo(1);
      assertThat(transfer().received()).isEqualTo(Money.of(700, "AUD"));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void moneyInAnotherCurrencyIsNotCountedButKeptForStaff() {
    ReconciliationResult result = bank.reconciler.reconcile(
        new TransferReceived("evt-1", reference, Money.of(1240, "NZD"), "J CITIZEN", bank.clock.instant()));

    assertThat(result.outcome()).isEqualTo(Outcome.UNMATCHED);
    assertThat(result.unmatchedReason()).isEqualTo(Reason.CURRENCY_MISMATCH);
    assertThat(transfer().received().isZero()).isTrue();
  }

  private BankTransfer transfer() {
    return bank.transfers.findByReference(PaymentReference.parse(reference).orElseThrow()).orElseThrow();
  }
}
