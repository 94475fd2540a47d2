package io.tabletap.server.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tabletap.server.ServerLite;
import io.tabletap.server.config.Secret;
import io.tabletap.server.device.Role;
import io.tabletap.server.testing.RunningServer;
import io.tabletap.server.webhook.WebhookSignature;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /webhooks/{provider}} over real HTTP with real signatures: the sandbox waits for a
 * person (no auto-approve), so every webhook here is one the test signs itself.
 */
class WebhookEndpointTest {
  @TempDir static Path dir;
  static RunningServer server;
  static String cashier;
  static String admin;
  static Secret payconicSecret;
  static Secret bankSecret;

  @BeforeAll
  static void start() throws Exception {
    server = RunningServer.start(dir);
    cashier = server.token(Role.CASHIER);
    admin = server.token(Role.ADMIN);
    payconicSecret = server.server().sandbox().orElseThrow().config().webhookSecret();
    bankSecret = new Secret(Files.readString(dir.resolve(ServerLite.BANK_WEBHOOK_SECRET_FILE)).strip());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static PendingCardPayment pendingCardPayment() {
    return PendingCardPayment.create(server, cashier);
  }

  static RunningServer.Reply deliver(String provider, String header, Secret secret, long at, String body) {
    return server.postJson("/webhooks/" + provider, null, body,
        Map.of(header, WebhookSignature.sign(secret, at, body.getBytes(StandardCharsets.UTF_8))));
  }

  static long now() {
    return server.clock.instant().getEpochSecond();
  }

  static String payconicEvent(String type, PendingCardPayment p, String eventId) {
    return "{\"eventId\":\"" + eventId + "\",\"eventType\":\"" + type + "\",\"paymentId\":\"" + p.payconicId()
        + "\",\"orderId\":\"" + p.orderId() + "\",\"amount\":400,\"currency\":\"AUD\",\"occurredAt\":\"2026-11-25T23:00:00Z\"}";
  }

  static String status(String path) {
    return server.get(path, cashier).json().get("status").asText();
  }

  @Test
  void aSignedSuccessIsQueuedThenPaysTheOrderAndARepeatIsADuplicate() {
    PendingCardPayment p = pendingCardPayment();
    String body = payconicEvent("payment.succeeded", p, "evt-ok-" + p.paymentId());
    RunningServer.Reply first = deliver("payconic", "Payconic-Signature", payconicSecret, now(), body);
    assertThat(first.status()).isEqualTo(202);
    assertThat(first.json().get("status").asText()).isEqualTo("queued");
    String webhookId = first.json().get("webhookId").asText();
    await().atMost(Duration.ofSeconds(10)).until(() -> status("/api/orders/" + p.orderId()).equals("PAID"));
    assertThat(status("/api/payments/" + p.paymentId())).isEqualTo("COMPLETED");

    RunningServer.Reply again = deliver("payconic", "Payconic-Signature", payconicSecret, now() + 5, body);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().get("status").asText()).isEqualTo("duplicate");
    assertThat(again.json().get("webhookId").asText()).isEqualTo(webhookId);
    // made at volume, so time-ordered (decision 0027): the order's, the payment's and the webhook's ids
    assertThat(java.util.List.of(p.orderId(), p.paymentId(), webhookId))
        .allSatisfy(id -> assertThat(UUID.fromString(id).version()).isEqualTo(7));
  }

  @Test
  void aFailureThatArrivesAfterTheSuccessNeverUndoesIt() {
    PendingCardPayment p = pendingCardPayment();
    deliver("payconic", "Payconic-Signature", payconicSecret, now(), payconicEvent("payment.succeeded", p, "evt-s-" + p.paymentId()));
    await().atMost(Duration.ofSeconds(10)).until(() -> status("/api/orders/" + p.orderId()).equals("PAID"));
    RunningServer.Reply late = deliver("payconic", "Payconic-Signature", payconicSecret, now(),
        payconicEvent("payment.failed", p, "evt-late-" + p.paymentId()));
    assertThat(late.status()).isEqualTo(202);
    String job = late.json().get("webhookId").asText();
    // a completed webhook job is removed at once (decision 0022): the audit log says it was processed
    await().atMost(Duration.ofSeconds(10)).until(() -> server.get("/api/admin/audit?type=webhook.processed&subject=" + job,
        admin).json().get("records").size() == 1);
    assertThat(server.get("/api/admin/jobs/" + job, admin).status()).isEqualTo(404);
    assertThat(status("/api/payments/" + p.paymentId())).isEqualTo("COMPLETED");
    assertThat(status("/api/orders/" + p.orderId())).isEqualTo("PAID");
  }

  @Test
  void anEventTypeWeDoNotActOnIsAcceptedAndIgnored() {
    PendingCardPayment p = pendingCardPayment();
    RunningServer.Reply reply = deliver("payconic", "Payconic-Signature", payconicSecret, now(),
        payconicEvent("payment.disputed", p, "evt-dispute-" + p.paymentId()));
    assertThat(reply.status()).isEqualTo(202);
    assertThat(reply.json().get("status").asText()).isEqualTo("ignored");
    assertThat(status("/api/payments/" + p.paymentId())).isEqualTo("PENDING");
  }

  @Test
  void aBadStaleOrMissingSignatureIs401AndChangesNothing() {
    PendingCardPayment p = pendingCardPayment();
    String body = payconicEvent("payment.succeeded", p, "evt-bad-" + p.paymentId());
    RunningServer.Reply wrongSecret = deliver("payconic", "Payconic-Signature", new Secret("not-the-secret"), now(), body);
    RunningServer.Reply stale = deliver("payconic", "Payconic-Signature", payconicSecret, now() - 301, body);
    RunningServer.Reply missing = server.postJson("/webhooks/payconic", null, body);
    assertThat(wrongSecret.status()).isEqualTo(401);
    assertThat(wrongSecret.json().get("details").get("reason").asText()).isEqualTo("bad_signature");
    assertThat(stale.json().get("details").get("reason").asText()).isEqualTo("stale_timestamp");
    assertThat(missing.json().get("details").get("reason").asText()).isEqualTo("missing_signature");
    assertThat(wrongSecret.raw()).doesNotContain(payconicSecret.reveal());
    assertThat(status("/api/payments/" + p.paymentId())).isEqualTo("PENDING");
    assertThat(status("/api/orders/" + p.orderId())).isEqualTo("PAYMENT_PENDING");
  }

  @Test
  void anUnknownProviderIs404() {
    RunningServer.Reply reply = server.postJson("/webhooks/stripe", null, "{}");
    assertThat(reply.status()).isEqualTo(404);
    assertThat(reply.json().get("error").asText()).isEqualTo("unknown_provider");
  }

  @Test
  void theBanksSignedTransferPaysAQrOrder() {
    String orderId = server.postJson("/api/orders", cashier,
        "{\"type\":\"TAKEAWAY\",\"lines\":[{\"itemId\":\"espresso\",\"quantity\":2}]}").json().get("id").asText();
    JsonNode payment = server.postJson("/api/orders/" + orderId + "/payments", cashier, "{\"method\":\"QR_CODE_BANK_TRANSFER\"}").json();
    String reference = payment.get("qr").get("reference").asText();
    String body = "{\"eventId\":\"bank-" + UUID.randomUUID() + "\",\"reference\":\"" + reference + "\",\"amount\":\"7.00\","
        + "\"currency\":\"AUD\",\"payerName\":\"A Customer\",\"receivedAt\":\"2026-11-25T23:01:00Z\"}";

    assertThat(deliver("bank", "Bank-Signature", payconicSecret, now(), body).status()).isEqualTo(401);
    RunningServer.Reply reply = deliver("bank", "Bank-Signature", bankSecret, now(), body);
    assertThat(reply.status()).isEqualTo(202);
    assertThat(reply.json().get("status").asText()).isEqualTo("queued");
    await().atMost(Duration.ofSeconds(10)).until(() -> status("/api/orders/" + orderId).equals("PAID"));
  }

  @Test
  void reconciliationSettlesAPaymentWhoseWebhookNeverCame() {
    PendingCardPayment p = pendingCardPayment();
    server.server().sandbox().orElseThrow().setWebhookUrl(null); // the provider's notification is lost
    try {
      assertThat(server.server().sandbox().orElseThrow().approve(p.payconicId())).isTrue();
      assertThat(server.server().reconciler().runOnce().settled()).as("too young to check").isZero();
      server.clock.advance(Duration.ofMinutes(3));
      assertThat(server.server().reconciler().runOnce().settled()).isGreaterThanOrEqualTo(1);
      assertThat(status("/api/payments/" + p.paymentId())).isEqualTo("COMPLETED");
      assertThat(status("/api/orders/" + p.orderId())).isEqualTo("PAID");
    } finally {
      server.server().sandbox().orElseThrow().setWebhookUrl(server.baseUrl() + "/webhooks/payconic");
    }
  }
}
