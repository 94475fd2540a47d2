package io.tabletap.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.tabletap.server.domain.DomainEvent;
import io.tabletap.server.domain.Money;
import io.tabletap.server.domain.Payment;
import io.tabletap.server.domain.PaymentCompleted;
import io.tabletap.server.domain.PaymentFailed;
import io.tabletap.server.domain.PaymentInitiated;
import io.tabletap.server.domain.PaymentMethod;
import io.tabletap.server.domain.PaymentRefunded;
import io.tabletap.server.domain.PaymentStatus;
import io.tabletap.server.domain.Refund;
import io.tabletap.server.event.SynchronousEventBus;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Payment events published on a bus become audit rows, each once. */
class AuditRecorderTest {
  private static final Instant AT = Instant.parse("2026-11-25T23:00:00Z");
  private static final String TILL = "7c1d0000-0000-0000-0000-000000000001";

  @TempDir Path dir;
  AuditOnH2 h2;
  SynchronousEventBus bus = new SynchronousEventBus();
  AuditRecorder recorder;

  @BeforeEach
  void open() {
    h2 = new AuditOnH2(dir);
    recorder = AuditRecorder.subscribe(bus, h2.log);
  }

  @AfterEach
  void close() {
    recorder.close();
    h2.close();
  }

  @Test
  void eachStatusOfAPaymentAndEachRefundIsOneRowAndAReplayWritesNothing() {
    Payment pending = payment(PaymentMethod.CASH, PaymentStatus.PENDING, null, null);
    Payment completed = pending.moveTo(PaymentStatus.COMPLETED, AT.plusSeconds(1));
    Refund refund = new Refund(UUID.randomUUID(), pending.id(), Money.of(300, "AUD"), Refund.Status.COMPLETED, "cold coffee", TILL,
        null, null, null, AT.plusSeconds(2), AT.plusSeconds(2));
    Payment refunded = completed.withRefund(refund.amount(), AT.plusSeconds(2));
    Payment card = payment(PaymentMethod.PAYCONIC_CARD, PaymentStatus.PENDING, null, null);
    Payment declined = card.moveTo(PaymentStatus.FAILED, AT.plusSeconds(3)).withGatewayResult("txn_9", null, "card declined", AT);
    List<DomainEvent> events = List.of(new PaymentInitiated(pending, AT), new PaymentCompleted(completed, AT.plusSeconds(1)),
        new PaymentRefunded(refunded, refund, AT.plusSeconds(2)), new PaymentInitiated(card, AT), new PaymentFailed(declined, AT.plusSeconds(3)));

    events.forEach(bus::publish);
    events.forEach(bus::publish);

    List<AuditRecord> rows = h2.all();
    assertThat(rows).extracting(AuditRecord::type, AuditRecord::actor, AuditRecord::subject, AuditRecord::dedupeKey, AuditRecord::reason)
        .containsExactly(
            row(AuditTypes.PAYMENT_STATUS_CHANGED, "system", pending, "payment:" + pending.id() + ":PENDING", null),
            row(AuditTypes.PAYMENT_STATUS_CHANGED, "system", pending, "payment:" + pending.id() + ":COMPLETED", null),
            row(AuditTypes.REFUND_COMPLETED, TILL, pending, "refund:" + refund.id() + ":COMPLETED", "cold coffee"),
            row(AuditTypes.PAYMENT_STATUS_CHANGED, "system", card, "payment:" + card.id() + ":PENDING", null),
            row(AuditTypes.PAYMENT_STATUS_CHANGED, "system", card, "payment:" + card.id() + ":FAILED", "card declined"));
    assertThat(rows).extracting(AuditRecord::cafeId).containsOnly("demo");
    assertThat(rows).extracting(AuditRecord::occurredAt)
        .containsExactly(AT, AT.plusSeconds(1), AT.plusSeconds(2), AT, AT.plusSeconds(3));
    assertThat(rows.get(1).details()).isEqualTo("{\"amount\":1240,\"change\":0,\"currency\":\"AUD\",\"method\":\"CASH\",\"orderId\":\""
        + pending.orderId() + "\",\"status\":\"COMPLETED\",\"tendered\":1240}");
    assertThat(rows.get(2).details()).contains("\"refundId\":\"" + refund.id() + "\"", "\"amount\":300", "\"paymentStatus\":\"PARTIALLY_REFUNDED\"",
        "\"refundedTotal\":300");
    assertThat(rows.get(4).details()).contains("\"transactionId\":\"txn_9\"", "\"status\":\"FAILED\"");
  }

  @Test
  void aPaymentConfirmedByHandIsRecordedAsTheConfirmingDeviceWithItsReason() {
    Payment transfer = payment(PaymentMethod.QR_CODE_BANK_TRANSFER, PaymentStatus.PENDING, null, null);
    Payment confirmed = transfer.confirmedByHand(TILL, "seen on the bank statement", AT.plusSeconds(60));

    bus.publish(new PaymentCompleted(confirmed, AT.plusSeconds(60)));
    bus.publish(new PaymentCompleted(confirmed, AT.plusSeconds(60)));

    assertThat(h2.all()).singleElement().satisfies(row -> {
      assertThat(row.type()).isEqualTo(AuditTypes.PAYMENT_CONFIRMED_BY_HAND);
      assertThat(row.actor()).isEqualTo(TILL);
      assertThat(row.reason()).isEqualTo("seen on the bank statement");
      assertThat(row.subject()).isEqualTo(transfer.id().toString());
      assertThat(row.dedupeKey()).isEqualTo("payment:" + transfer.id() + ":COMPLETED");
    });
  }

  @Test
  void afterCloseNothingIsRecorded() {
    recorder.close();

    bus.publish(new PaymentInitiated(payment(PaymentMethod.CASH, PaymentStatus.PENDING, null, null), AT));

    assertThat(h2.all()).isEmpty();
  }

  private static org.assertj.core.groups.Tuple row(String type, String actor, Payment p, String key, String reason) {
    return org.assertj.core.groups.Tuple.tuple(type, actor, p.id().toString(), key, reason);
  }

  private static Payment payment(PaymentMethod method, PaymentStatus status, String confirmedBy, String reason) {
    boolean cash = method == PaymentMethod.CASH;
    return new Payment(UUID.randomUUID(), UUID.randomUUID(), "demo", method, Money.of(1240, "AUD"), status, Money.of(0, "AUD"), null,
        null, null, null, cash ? Money.of(1240, "AUD") : null, cash ? Money.of(0, "AUD") : null, null, null, confirmedBy, reason, AT, AT);
  }
}
