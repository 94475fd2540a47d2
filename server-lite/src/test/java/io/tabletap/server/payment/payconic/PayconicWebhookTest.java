package io.tabletap.server.payment.payconic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tabletap.server.config.Secret;
import io.tabletap.server.domain.Money;
import io.tabletap.server.webhook.WebhookEvent;
import io.tabletap.server.webhook.WebhookRejectedException;
import io.tabletap.server.testing.MutableClock;
import io.tabletap.server.webhook.WebhookSignature;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PayconicWebhookTest {
  static final String BODY = "{\"eventId\":\"evt_0001\",\"eventType\":\"payment.succeeded\","
      + "\"paymentId\":\"pay_7k2m9x4q8w1e5r3t6y0u2i4o\",\"orderId\":\"0b6f3c1e-8f7a-4d2b-9c5e-1a2b3c4d5e6f\","
      + "\"amount\":900,\"currency\":\"AUD\",\"occurredAt\":\"2026-11-26T09:30:00Z\"}";

  private final Secret secret = new Secret("whsec_current");
  private final Secret previous = new Secret("whsec_previous");
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T09:30:05Z"));
  private final PayconicGateway gateway = new PayconicGateway(new OkHttpClient(),
      PayconicConfig.of("http://127.0.0.1:1", new Secret("sk_test_key"), "cafe-42", secret), clock);

  @Test
  void aSignedWebhookIsParsedIntoAnEventWithPayconicsPaymentIdAsTransactionId() {
    WebhookEvent event = gateway.handleWebhook(bytes(BODY), Map.of("payconic-signature", List.of(sign(secret, BODY))));

    assertThat(event).isEqualTo(new WebhookEvent("payconic", "evt_0001", "payment.succeeded", "pay_7k2m9x4q8w1e5r3t6y0u2i4o",
        "0b6f3c1e-8f7a-4d2b-9c5e-1a2b3c4d5e6f", Money.of(900, "AUD"), null, Instant.parse("2026-11-26T09:30:00Z")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"payment.failed", "payment.cancelled", "refund.succeeded", "refund.failed", "payment.disputed"})
  void everyEventTypeIsReturnedAndAnUnknownOneToo(String type) {
    String body = BODY.replace("payment.succeeded", type);

    assertThat(gateway.handleWebhook(bytes(body), headers(sign(secret, body))).eventType()).isEqualTo(type);
  }

  @Test
  void fieldsWeDoNotKnowAndAMissingOrderIdOrAmountAreFine() {
    String body = "{\"eventId\":\"evt_2\",\"eventType\":\"payment.cancelled\",\"paymentId\":\"pay_2\","
        + "\"occurredAt\":\"2026-11-26T09:30:00Z\",\"refundId\":null,\"livemode\":false}";

    WebhookEvent event = gateway.handleWebhook(bytes(body), headers(sign(secret, body)));

    assertThat(event.orderId()).isNull();
    assertThat(event.amount()).isNull();
    assertThat(event.transactionId()).isEqualTo("pay_2");
  }

  @Test
  void aWebhookSignedWithTheSecretBeingRotatedOutIsAccepted() {
    PayconicGateway rotating = new PayconicGateway(new OkHttpClient(),
        PayconicConfig.of("http://127.0.0.1:1", new Secret("sk_test_key"), "cafe-42", secret)
            .withWebhookSecrets(List.of(secret, previous)), clock);

    assertThat(rotating.handleWebhook(bytes(BODY), headers(sign(previous, BODY))).eventId()).isEqualTo("evt_0001");
  }

  @Test
  void aWebhookWithoutTheSignatureHeaderIsRejected() {
    assertRejected(() -> gateway.handleWebhook(bytes(BODY), Map.of("Content-Type", List.of("application/json"))),
        "missing_signature");
  }

  @Test
  void aWebhookSignedWithAnotherSecretIsRejected() {
    assertRejected(() -> gateway.handleWebhook(bytes(BODY), headers(sign(new Secret("whsec_attacker"), BODY))),
        "bad_signature");
  }

  @Test
  void aReplayedWebhookOlderThanFiveMinutesIsRejected() {
    String header = sign(secret, BODY);
    clock.advance(java.time.Duration.ofMinutes(6));

    assertRejected(() -> gateway.handleWebhook(bytes(BODY), headers(header)), "stale_timestamp");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "not json", "[1,2]", "{}",
      "{\"eventType\":\"payment.succeeded\",\"paymentId\":\"p\",\"occurredAt\":\"2026-11-26T09:30:00Z\"}",
      "{\"eventId\":\"e\",\"eventType\":\"payment.succeeded\",\"paymentId\":\"p\",\"occurredAt\":\"yesterday\"}",
      "{\"eventId\":\"e\",\"eventType\":\"payment.succeeded\",\"paymentId\":\"p\",\"occurredAt\":\"2026-11-26T09:30:00Z\",\"amount\":9.5,\"currency\":\"AUD\"}",
      "{\"eventId\":\"e\",\"eventType\":\"payment.succeeded\",\"paymentId\":\"p\",\"occurredAt\":\"2026-11-26T09:30:00Z\",\"amount\":900}",
      "{\"eventId\":\"e\",\"eventType\":\"payment.succeeded\",\"paymentId\":\"p\",\"occurredAt\":\"2026-11-26T09:30:00Z\",\"amount\":900,\"currency\":\"XYZW\"}",
      "{\"eventId\":7,\"eventType\":\"payment.succeeded\",\"paymentId\":\"p\",\"occurredAt\":\"2026-11-26T09:30:00Z\"}",
      "{\"eventId\":\"e\",\"eventId\":\"f\",\"eventType\":\"payment.succeeded\",\"paymentId\":\"p\",\"occurredAt\":\"2026-11-26T09:30:00Z\"}"})
  void aCorrectlySignedBodyThatIsNotPayconicsFormatIsMalformed(String body) {
    assertRejected(() -> gateway.handleWebhook(bytes(body), headers(sign(secret, body))), "malformed_body");
  }

  @Test
  void aSignatureHeaderSplitOverTwoFieldsIsJoinedAsHttpAllows() {
    String header = WebhookSignature.sign(List.of(previous, secret), clock.instant().getEpochSecond(), bytes(BODY));
    int second = header.lastIndexOf(",v1=");

    WebhookEvent event = gateway.handleWebhook(bytes(BODY),
        Map.of("Payconic-Signature", List.of(header.substring(0, second), header.substring(second + 1))));

    assertThat(event.eventId()).isEqualTo("evt_0001");
  }

  private String sign(Secret with, String body) {
    return WebhookSignature.sign(with, clock.instant().getEpochSecond(), bytes(body));
  }

  private static Map<String, List<String>> headers(String signature) {
    return Map.of("Payconic-Signature", List.of(signature), "Content-Type", List.of("application/json"));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static void assertRejected(ThrowingCallable call, String reason) {
    assertThatThrownBy(call).isInstanceOfSatisfying(WebhookRejectedException.class,
        e -> assertThat(e.reason()).isEqualTo(reason));
  }
}
