package io.tabletap.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tabletap.server.config.Secret;
import io.tabletap.server.webhook.WebhookRejectedException;
import io.tabletap.server.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {
  /** The worked example of docs/payconic.md; the body is exactly these bytes. */
  static final String DOCS_BODY = "{\"eventId\":\"evt_0001\",\"eventType\":\"payment.succeeded\","
      + "\"paymentId\":\"pay_7k2m9x4q8w1e5r3t6y0u2i4o\",\"orderId\":\"0b6f3c1e-8f7a-4d2b-9c5e-1a2b3c4d5e6f\","
      + "\"amount\":900,\"currency\":\"AUD\",\"occurredAt\":\"2026-11-26T09:30:00Z\"}";
  static final Secret DOCS_SECRET = new Secret("whsec_docs_example_secret");
  static final long DOCS_TIMESTAMP = 1795685400L;
  static final String DOCS_HEADER = "t=1795685400,v1=89f1dbd8e5a2d1d01e0d899cdc3d1ecd6c5c276ebface3115cfed38200ab8910";

  private final Secret secret = new Secret("whsec_current");
  private final Secret oldSecret = new Secret("whsec_previous");
  private final MutableClock clock = new MutableClock(Instant.ofEpochSecond(DOCS_TIMESTAMP));
  private final byte[] body = DOCS_BODY.getBytes(StandardCharsets.UTF_8);

  @Test
  void theWorkedExampleOfTheDocsSignsAndVerifiesAsDocumented() {
    assertThat(DOCS_BODY.getBytes(StandardCharsets.UTF_8)).hasSize(212);
    assertThat(WebhookSignature.sign(DOCS_SECRET, DOCS_TIMESTAMP, body)).isEqualTo(DOCS_HEADER);
    assertThat(WebhookSignature.verify(body, DOCS_HEADER, List.of(DOCS_SECRET), clock))
        .isEqualTo(Instant.parse("2026-11-26T09:30:00Z"));
  }

  @Test
  void aBodySignedWithTheSecretVerifies() {
    String header = WebhookSignature.sign(secret, now(), body);

    assertThat(header).matches("t=\\d+,v1=[0-9a-f]{64}");
    assertThat(WebhookSignature.verify(body, header, List.of(secret), clock)).isEqualTo(clock.instant());
  }

  @Test
  void aBodySignedWithAnotherSecretIsABadSignature() {
    String header = WebhookSignature.sign(new Secret("whsec_someone_else"), now(), body);

    assertRejected(() -> WebhookSignature.verify(body, header, List.of(secret), clock), "bad_signature");
  }

  @Test
  void aBodyChangedByOneByteFails() {
    String header = WebhookSignature.sign(secret, now(), body);
    byte[] changed = body.clone();
    changed[changed.length - 3] ^= 1;

    assertRejected(() -> WebhookSignature.verify(changed, header, List.of(secret), clock), "bad_signature");
  }

  @Test
  void reSerialisedJsonWithTheSameMeaningFails() {
    String header = WebhookSignature.sign(secret, now(), body);
    byte[] pretty = DOCS_BODY.replace(",", ", ").getBytes(StandardCharsets.UTF_8);

    assertRejected(() -> WebhookSignature.verify(pretty, header, List.of(secret), clock), "bad_signature");
  }

  @Test
  void aTimestampMoreThanFiveMinutesOldIsStale() {
    String header = WebhookSignature.sign(secret, now(), body);
    clock.advance(Duration.ofSeconds(301));

    assertRejected(() -> WebhookSignature.verify(body, header, List.of(secret), clock), "stale_timestamp");
  }

  @Test
  void aTimestampMoreThanFiveMinutesAheadIsStaleToo() {
    String header = WebhookSignature.sign(secret, now() + 301, body);

    assertRejected(() -> WebhookSignature.verify(body, header, List.of(secret), clock), "stale_timestamp");
  }

  @Test
  void aTimestampExactlyFiveMinutesOldStillVerifies() {
    String header = WebhookSignature.sign(secret, now(), body);
    clock.advance(Duration.ofSeconds(300));

    assertThat(WebhookSignature.verify(body, header, List.of(secret), clock)).isNotNull();
  }

  @Test
  void theSameBodyRedeliveredLaterWithAFreshTimestampStillVerifies() {
    String first = WebhookSignature.sign(secret, now(), body);
    clock.advance(Duration.ofHours(2));
    String retry = WebhookSignature.sign(secret, now(), body);

    assertRejected(() -> WebhookSignature.verify(body, first, List.of(secret), clock), "stale_timestamp");
    assertThat(WebhookSignature.verify(body, retry, List.of(secret), clock)).isEqualTo(clock.instant());
  }

  @Test
  void aHeaderWithTwoV1ValuesVerifiesWithEitherSecretDuringARotation() {
    String header = WebhookSignature.sign(List.of(oldSecret, secret), now(), body);

    assertThat(header).matches("t=\\d+,v1=[0-9a-f]{64},v1=[0-9a-f]{64}");
    assertThat(WebhookSignature.verify(body, header, List.of(secret), clock)).isNotNull();
    assertThat(WebhookSignature.verify(body, header, List.of(oldSecret), clock)).isNotNull();
    assertRejected(() -> WebhookSignature.verify(body, header, List.of(new Secret("whsec_other")), clock), "bad_signature");
  }

  @Test
  void aReceiverWithTwoSecretsAcceptsASignatureByEither() {
    String byOld = WebhookSignature.sign(oldSecret, now(), body);

    assertThat(WebhookSignature.verify(body, byOld, List.of(secret, oldSecret), clock)).isNotNull();
  }

  @Test
  void unknownSchemesAndSpacesAreIgnored() {
    String header = WebhookSignature.sign(secret, now(), body);
    String withExtras = header.replace(",", " , v0=abc, ");

    assertThat(WebhookSignature.verify(body, withExtras, List.of(secret), clock)).isNotNull();
  }

  @Test
  void aMissingHeaderIsAMissingSignature() {
    assertRejected(() -> WebhookSignature.verify(body, null, List.of(secret), clock), "missing_signature");
    assertRejected(() -> WebhookSignature.verify(body, "  ", List.of(secret), clock), "missing_signature");
  }

  @Test
  void garbageHeadersAreMalformed() {
    String goodHex = "0".repeat(64);
    for (String garbage : List.of("garbage", "t=abc,v1=" + goodHex, "v1=" + goodHex, "t=" + now(), "t=1,t=2,v1=" + goodHex,
        "t=" + now() + ",v1=xyz", "t=" + now() + ",v1=" + "0".repeat(63), "=,=", "t=" + now() + ",v1=" + "a".repeat(3000))) {
      assertRejected(() -> WebhookSignature.verify(body, garbage, List.of(secret), clock), "malformed_signature");
    }
  }

  @Test
  void noRejectionMessageContainsTheSecretOrTheExpectedSignature() {
    String expected = WebhookSignature.sign(secret, now(), body);
    String wrong = WebhookSignature.sign(new Secret("whsec_wrong"), now(), body);

    assertThatThrownBy(() -> WebhookSignature.verify(body, wrong, List.of(secret), clock))
        .hasMessageNotContaining(secret.reveal())
        .hasMessageNotContaining(expected.substring(expected.indexOf("v1=") + 3));
  }

  private long now() {
    return clock.instant().getEpochSecond();
  }

  private static void assertRejected(ThrowingCallable call, String reason) {
    assertThatThrownBy(call).isInstanceOfSatisfying(WebhookRejectedException.class,
        e -> assertThat(e.reason()).isEqualTo(reason));
  }
}
