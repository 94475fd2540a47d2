package io.tabletap.server.payment.qrbank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tabletap.server.domain.Money;
import io.tabletap.server.webhook.WebhookEvent;
import io.tabletap.server.webhook.WebhookRejectedException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TransferReceivedTest {

  @Test
  void parsesTheBanksNotificationWithAnExactDecimalAmount() {
    TransferReceived received = TransferReceived.parse(bytes(
        "{\"eventId\":\"evt-1\",\"reference\":\"tt 7kq4 m9xc\",\"amount\":12.40,\"currency\":\"AUD\","
            + "\"payerName\":\"J CITIZEN\",\"receivedAt\":\"2026-11-25T23:05:00Z\"}"));

    assertThat(received).isEqualTo(new TransferReceived("evt-1", "tt 7kq4 m9xc", Money.of(1240, "AUD"), "J CITIZEN",
        Instant.parse("2026-11-25T23:05:00Z")));
  }

  @Test
  void takesTheAmountAsAStringTooAndThePayerAsOptional() {
    TransferReceived received = TransferReceived.parse(bytes(
        "{\"eventId\":\"evt-1\",\"reference\":\"x\",\"amount\":\"0.10\",\"currency\":\"EUR\",\"receivedAt\":\"2026-11-25T23:05:00Z\"}"));

    assertThat(received.amount()).isEqualTo(Money.of(10, "EUR"));
    assertThat(received.payerName()).isNull();
  }

  @Test
  void refusesMalformedNotifications() {
    String ok = "\"eventId\":\"e\",\"reference\":\"r\",\"currency\":\"AUD\",\"receivedAt\":\"2026-11-25T23:05:00Z\"";
    for (String body : new String[] {
        "not json", "[]", "{" + ok + "}", "{" + ok + ",\"amount\":12.345}", "{" + ok + ",\"amount\":-1}",
        "{" + ok + ",\"amount\":0}", "{" + ok + ",\"amount\":\"ten\"}", "{" + ok.replace("AUD", "XYZ") + ",\"amount\":1}",
        "{" + ok.replace("2026-11-25T23:05:00Z", "yesterday") + ",\"amount\":1}", "{" + ok.replace("\"e\"", "\"\"") + ",\"amount\":1}"}) {
      assertThatThrownBy(() -> TransferReceived.parse(bytes(body))).as(body)
          .isInstanceOfSatisfying(WebhookRejectedException.class, e -> assertThat(e.reason()).isEqualTo("malformed_body"));
    }
  }

  @Test
  void comesFromAVerifiedBankWebhookEvent() {
    WebhookEvent event = new WebhookEvent("bank", "evt-1", "transfer.received", "TT-7KQ4-M9XC", null, Money.of(500, "AUD"),
        "J CITIZEN", Instant.parse("2026-11-25T23:05:00Z"));

    assertThat(TransferReceived.from(event))
        .isEqualTo(new TransferReceived("evt-1", "TT-7KQ4-M9XC", Money.of(500, "AUD"), "J CITIZEN", event.occurredAt()));
    assertThatThrownBy(() -> TransferReceived.from(new WebhookEvent("payconic", "e", "payment.succeeded", "x", null,
        Money.of(1, "AUD"), null, Instant.EPOCH))).isInstanceOf(WebhookRejectedException.class);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
