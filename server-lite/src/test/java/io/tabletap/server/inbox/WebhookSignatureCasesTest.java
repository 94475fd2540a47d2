package io.tabletap.server.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tabletap.server.audit.AuditFilter;
import io.tabletap.server.audit.AuditRecord;
import io.tabletap.server.audit.AuditTypes;
import io.tabletap.server.config.Secret;
import io.tabletap.server.device.Role;
import io.tabletap.server.testing.RunningServer;
import io.tabletap.server.webhook.WebhookSignature;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The signature cases at {@code POST /webhooks/payconic}, over real HTTP: what is accepted, what
 * is refused with which reason, and that a refusal changes no payment and leaves one
 * {@code webhook.rejected} audit row with the reason and no secret.
 */
class WebhookSignatureCasesTest {
  @TempDir static Path dir;
  static RunningServer server;
  static String cashier;
  static Secret secret;

  @BeforeAll
  static void start() {
    server = RunningServer.start(dir);
    cashier = server.token(Role.CASHIER);
    secret = server.server().sandbox().orElseThrow().config().webhookSecret();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static PendingCardPayment pendingCardPayment() {
    return PendingCardPayment.create(server, cashier);
  }

  static String succeeded(PendingCardPayment p, String eventId) {
    return "{\"eventId\":\"" + eventId + "\",\"eventType\":\"payment.succeeded\",\"paymentId\":\"" + p.payconicId()
        + "\",\"orderId\":\"" + p.orderId() + "\",\"amount\":400,\"currency\":\"AUD\",\"occurredAt\":\"2026-11-25T23:00:00Z\"}";
  }

  static RunningServer.Reply send(String body, String signature) {
    return server.postJson("/webhooks/payconic", null, body, Map.of("Payconic-Signature", signature));
  }

  static String sign(Secret with, long at, String body) {
    return WebhookSignature.sign(with, at, body.getBytes(StandardCharsets.UTF_8));
  }

  static long now() {
    return server.clock.instant().getEpochSecond();
  }

  static String status(String path) {
    return server.get(path, cashier).json().get("status").asText();
  }

  static long lastSeq() {
    List<AuditRecord> all = server.server().audit().list(AuditFilter.ALL, 500, 0);
    long seq = 0;
    while (!all.isEmpty()) {
      seq = all.get(all.size() - 1).seq();
      all = server.server().audit().list(AuditFilter.ALL, 500, seq);
    }
    return seq;
  }

  /** Sends a delivery that must be refused; checks the answer, the untouched payment and the one audit row. */
  static void assertRefused(PendingCardPayment p, String body, String signature, String reason) {
    long before = lastSeq();
    RunningServer.Reply reply = send(body, signature);
    assertThat(reply.status()).as(reply.raw()).isEqualTo(401);
    assertThat(reply.header("WWW-Authenticate")).as("a signature is asked for, not a token").isEqualTo("Signature realm=\"webhooks\"");
    assertThat(reply.json().get("error").asText()).isEqualTo("invalid_signature");
    assertThat(reply.json().get("details").get("reason").asText()).isEqualTo(reason);
    assertThat(reply.raw()).doesNotContain(secret.reveal());
    List<AuditRecord> after = server.server().audit().list(new AuditFilter(AuditTypes.WEBHOOK_REJECTED, null, null), 500, before);
    assertThat(after).as("rejections recorded for one refused delivery").hasSize(1);
    AuditRecord row = after.get(0);
    assertThat(row.type()).isEqualTo(AuditTypes.WEBHOOK_REJECTED);
    assertThat(row.reason()).isEqualTo(reason);
    assertThat(row.subject()).isEqualTo("payconic");
    assertThat(row.details() + row.reason() + row.actor()).doesNotContain(secret.reveal());
    assertThat(row.details()).doesNotContain(signature);
    assertThat(status("/api/payments/" + p.paymentId())).isEqualTo("PENDING");
    assertThat(status("/api/orders/" + p.orderId())).isEqualTo("PAYMENT_PENDING");
  }

  @Test
  void aGoodSignatureIsQueuedAndPays() {
    PendingCardPayment p = pendingCardPayment();
    RunningServer.Reply reply = send(succeeded(p, "evt-good-" + p.paymentId()), sign(secret, now(), succeeded(p, "evt-good-" + p.paymentId())));
    assertThat(reply.status()).isEqualTo(202);
    assertThat(reply.json().get("status").asText()).isEqualTo("queued");
    await().atMost(Duration.ofSeconds(10)).until(() -> status("/api/orders/" + p.orderId()).equals("PAID"));
  }

  @Test
  void aBadSecretIsRefused() {
    PendingCardPayment p = pendingCardPayment();
    String body = succeeded(p, "evt-bad-" + p.paymentId());
    assertRefused(p, body, sign(new Secret("whsec_not_ours"), now(), body), "bad_signature");
  }

  @Test
  void aTimestampMoreThan300SecondsAwayEitherSideIsStale() {
    PendingCardPayment p = pendingCardPayment();
    String body = succeeded(p, "evt-stale-" + p.paymentId());
    assertRefused(p, body, sign(secret, now() - 301, body), "stale_timestamp");
    assertRefused(p, body, sign(secret, now() + 301, body), "stale_timestamp");
    assertRefused(p, body, sign(secret, now() - 86_400, body), "stale_timestamp");
    // 300 s exactly is still inside the tolerance
    assertThat(send(body, sign(secret, now() + 300, body)).status()).isEqualTo(202);
  }

  @Test
  void theSameEventReplayedWithAFreshValidSignatureIsADuplicateAndChangesNothing() {
    PendingCardPayment p = pendingCardPayment();
    String body = succeeded(p, "evt-replay-" + p.paymentId());
    RunningServer.Reply first = send(body, sign(secret, now(), body));
    assertThat(first.status()).isEqualTo(202);
    String webhookId = first.json().get("webhookId").asText();
    await().atMost(Duration.ofSeconds(10)).until(() -> status("/api/orders/" + p.orderId()).equals("PAID")
        && !server.server().audit().list(new AuditFilter(AuditTypes.WEBHOOK_PROCESSED, webhookId, null), 10, 0).isEmpty());
    long before = lastSeq();

    server.clock.advance(Duration.ofSeconds(120));
    RunningServer.Reply again = send(body, sign(secret, now(), body));
    // A different body with the same eventId is the same event to us, too.
    String changed = body.replace("\"amount\":400", "\"amount\":1");
    RunningServer.Reply changedReplay = send(changed, sign(secret, now(), changed));

    for (RunningServer.Reply replay : List.of(again, changedReplay)) {
      assertThat(replay.status()).isEqualTo(200);
      assertThat(replay.json().get("status").asText()).isEqualTo("duplicate");
      assertThat(replay.json().get("webhookId").asText()).isEqualTo(webhookId);
    }
    assertThat(server.server().audit().list(AuditFilter.ALL, 500, before)).as("audit rows about this webhook or payment since")
        .noneMatch(row -> webhookId.equals(row.subject()) || p.paymentId().equals(row.subject())
            || row.type().equals(AuditTypes.WEBHOOK_REJECTED));
    assertThat(server.server().audit().list(new AuditFilter(AuditTypes.WEBHOOK_PROCESSED, webhookId, null), 10, 0)).hasSize(1);
    assertThat(status("/api/payments/" + p.paymentId())).isEqualTo("COMPLETED");
    assertThat(status("/api/orders/" + p.orderId())).isEqualTo("PAID");
  }

  @Test
  void aHeaderWithTheOldAndTheNewSecretIsAcceptedDuringARotation() {
    PendingCardPayment p = pendingCardPayment();
    String body = succeeded(p, "evt-rotated-" + p.paymentId());
    String header = WebhookSignature.sign(List.of(new Secret("whsec_retired"), secret), now(), body.getBytes(StandardCharsets.UTF_8));
    assertThat(header).matches("t=\\d+,v1=[0-9a-f]{64},v1=[0-9a-f]{64}");
    RunningServer.Reply reply = send(body, header);
    assertThat(reply.status()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(10)).until(() -> status("/api/orders/" + p.orderId()).equals("PAID"));
  }

  @Test
  void twoValuesOfWhichNoneIsOursAreRefused() {
    PendingCardPayment p = pendingCardPayment();
    String body = succeeded(p, "evt-rotated-bad-" + p.paymentId());
    String header = WebhookSignature.sign(List.of(new Secret("whsec_a"), new Secret("whsec_b")), now(),
        body.getBytes(StandardCharsets.UTF_8));
    assertRefused(p, body, header, "bad_signature");
  }

  @Test
  void aBodyChangedByOneByteAfterSigningIsRefused() {
    PendingCardPayment p = pendingCardPayment();
    String body = succeeded(p, "evt-tampered-" + p.paymentId());
    String signature = sign(secret, now(), body);
    assertRefused(p, body.replace("\"amount\":400", "\"amount\":401"), signature, "bad_signature");
    assertRefused(p, body + " ", signature, "bad_signature");
    assertRefused(p, body.replace("}", " }"), signature, "bad_signature");
  }

  @Test
  void aMissingOrMalformedHeaderIsRefused() {
    PendingCardPayment p = pendingCardPayment();
    String body = succeeded(p, "evt-header-" + p.paymentId());
    assertRefused(p, body, "t=" + now(), "malformed_signature");
    assertRefused(p, body, "v1=" + "ab".repeat(32), "malformed_signature");
    assertRefused(p, body, "t=" + now() + ",v1=zz", "malformed_signature");
    long before = lastSeq();
    RunningServer.Reply missing = server.postJson("/webhooks/payconic", null, body);
    assertThat(missing.json().get("details").get("reason").asText()).isEqualTo("missing_signature");
    assertThat(server.server().audit().list(new AuditFilter(AuditTypes.WEBHOOK_REJECTED, null, null), 500, before))
        .extracting(AuditRecord::reason)
        .containsExactly("missing_signature");
  }

  @Test
  void aSignedBodyWithAnOverlongIdOrTypeIsMalformedNotAServerError() {
    PendingCardPayment p = pendingCardPayment();
    for (String body : List.of(succeeded(p, "evt-" + "x".repeat(300)),
        succeeded(p, "evt-long-type").replace("payment.succeeded", "payment." + "z".repeat(600)))) {
      long before = lastSeq();
      RunningServer.Reply reply = send(body, sign(secret, now(), body));
      assertThat(reply.status()).as(reply.raw()).isEqualTo(400);
      assertThat(reply.json().get("error").asText()).isEqualTo("malformed_webhook");
      assertThat(server.server().audit().list(new AuditFilter(AuditTypes.WEBHOOK_REJECTED, null, null), 500, before))
          .extracting(AuditRecord::reason).containsExactly("malformed_body");
    }
    assertThat(status("/api/payments/" + p.paymentId())).isEqualTo("PENDING");
  }
}
