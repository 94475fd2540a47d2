package io.tabletap.server.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tabletap.server.json.Json;
import io.tabletap.server.payment.GatewayException;
import io.tabletap.server.payment.GatewayPayment;
import io.tabletap.server.payment.PaymentRequest;
import io.tabletap.server.webhook.WebhookEvent;
import io.tabletap.server.webhook.WebhookRejectedException;
import io.tabletap.server.sandbox.RecordingWebhookReceiver.Delivery;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/** Each fault of the sandbox, observed through the real gateway and a real webhook receiver. */
class SandboxFaultsTest {
  private static final MediaType JSON = MediaType.get("application/json");

  @Test
  void failNextSetThroughTheAdminEndpointMakesTheNextCallA500ThatIsRetryable() throws Exception {
    try (SandboxHarness h = SandboxHarness.start(b -> b)) {
      try (Response set = admin(h, SandboxHarness.API_KEY.reveal(), "{\"failNext\":1}")) {
        assertThat(set.code()).isEqualTo(200);
        assertThat(Json.mapper().readTree(set.body().string()).get("failNext").asInt()).isEqualTo(1);
      }

      assertThatThrownBy(() -> h.initiate(900))
          .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.retryable()).isTrue())
          .hasMessageContaining("500");
      assertThat(h.initiate(900).transactionId()).startsWith("pay_");
      assertThat(h.sandbox.faults().failNext()).isZero();
      assertThat(h.sandbox.paymentCount()).as("the failed call created nothing").isEqualTo(1);
    }
  }

  @Test
  void theAdminEndpointNeedsTheApiKeyAndRefusesFaultsItDoesNotKnow() throws Exception {
    try (SandboxHarness h = SandboxHarness.start(b -> b)) {
      try (Response noKey = admin(h, "sk_wrong", "{\"failNext\":1}")) {
        assertThat(noKey.code()).isEqualTo(401);
      }
      try (Response typo = admin(h, SandboxHarness.API_KEY.reveal(), "{\"fialNext\":1}")) {
        assertThat(typo.code()).isEqualTo(400);
        assertThat(typo.body().string()).contains("Unknown fault 'fialNext'");
      }
      try (Response negative = admin(h, SandboxHarness.API_KEY.reveal(), "{\"latencyMs\":-5}")) {
        assertThat(negative.code()).isEqualTo(400);
      }
      assertThat(h.sandbox.faults()).isEqualTo(Faults.none());
    }
  }

  @Test
  void addedLatencyDelaysEveryApiCall() throws Exception {
    try (SandboxHarness h = SandboxHarness.start(b -> b)) {
      h.sandbox.setFaults(Faults.none().withLatencyMs(300));

      long start = System.nanoTime();
      h.initiate(900);

      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(300);
    }
  }

  @Test
  void aHeldAnswerTimesTheGatewayOutRetryablyAndTheRetryWithTheSameKeyFindsTheSamePayment() throws Exception {
    try (SandboxHarness h = SandboxHarness.start(b -> b, Duration.ofMillis(300))) {
      h.initiate(100); // warm up, so the held call below is well under way before its retry is sent
      h.sandbox.setFaults(Faults.none().withTimeoutNext(1, 10_000));
      PaymentRequest request = SandboxHarness.request(900);

      assertThatThrownBy(() -> h.gateway.initiatePayment(request))
          .isInstanceOfSatisfying(GatewayException.class, e -> {
            assertThat(e.retryable()).isTrue();
            assertThat(e.getCause()).isInstanceOf(InterruptedIOException.class);
          });
      GatewayPayment retried = h.gateway.initiatePayment(request);

      assertThat(retried.transactionId()).startsWith("pay_");
      assertThat(h.sandbox.paymentCount()).as("the timed-out call had created it; the retry found it").isEqualTo(2);
    }
  }

  @Test
  void duplicateDeliveriesSendTheSameEventTwice() throws Exception {
    try (SandboxHarness h = SandboxHarness.start(b -> b)) {
      h.sandbox.setFaults(Faults.none().withDuplicateWebhooks(true));
      GatewayPayment payment = h.initiate(900);

      h.sandbox.approve(payment.transactionId());

      List<Delivery> deliveries = h.awaitDeliveries(2);
      WebhookEvent first = h.gateway.handleWebhook(deliveries.get(0).body(), deliveries.get(0).headers());
      WebhookEvent second = h.gateway.handleWebhook(deliveries.get(1).body(), deliveries.get(1).headers());
      assertThat(second).isEqualTo(first);
      assertThat(first.eventType()).isEqualTo("payment.succeeded");
      assertThat(deliveries.get(1).body()).isEqualTo(deliveries.get(0).body());
    }
  }

  @Test
  void outOfOrderDeliverySendsPaymentFailedAfterPaymentSucceeded() throws Exception {
    try (SandboxHarness h = SandboxHarness.start(b -> b.faults(Faults.none().withOutOfOrder(true)))) {
      GatewayPayment payment = h.initiate(900);

      h.sandbox.approve(payment.transactionId());

      List<Delivery> deliveries = h.awaitDeliveries(2);
      WebhookEvent succeeded = h.gateway.handleWebhook(deliveries.get(0).body(), deliveries.get(0).headers());
      WebhookEvent failed = h.gateway.handleWebhook(deliveries.get(1).body(), deliveries.get(1).headers());
      assertThat(succeeded.eventType()).isEqualTo("payment.succeeded");
      assertThat(failed.eventType()).isEqualTo("payment.failed");
      assertThat(failed.transactionId()).isEqualTo(succeeded.transactionId()).isEqualTo(payment.transactionId());
      assertThat(failed.eventId()).isNotEqualTo(succeeded.eventId());
      assertThat(failed.occurredAt()).isBefore(succeeded.occurredAt());
    }
  }

  @Test
  void aBadSignatureIsRejectedByTheGateway() throws Exception {
    try (SandboxHarness h = SandboxHarness.start(b -> b.faults(Faults.none().withBadSignature(true)))) {
      GatewayPayment payment = h.initiate(900);

      h.sandbox.approve(payment.transactionId());

      Delivery delivery = h.awaitDeliveries(1).get(0);
      assertThatThrownBy(() -> h.gateway.handleWebhook(delivery.body(), delivery.headers()))
          .isInstanceOfSatisfying(WebhookRejectedException.class, e -> assertThat(e.reason()).isEqualTo("bad_signature"));
    }
  }

  @Test
  void aWebhookAnswered500IsRetriedWithBackoffUntilItIsAccepted() throws Exception {
    try (SandboxHarness h = SandboxHarness.start(b -> b)) {
      h.receiver.answerNext(500, 503);
      GatewayPayment payment = h.initiate(900);

      h.sandbox.approve(payment.transactionId());

      List<Delivery> deliveries = h.awaitDeliveries(3);
      assertThat(deliveries).extracting(Delivery::answered).containsExactly(500, 503, 200);
      assertThat(deliveries).extracting(d -> d.header("Payconic-Delivery-Attempt")).containsExactly("1", "2", "3");
      assertThat(deliveries).extracting(d -> d.header("Payconic-Event-Id")).containsOnly(deliveries.get(0).header("Payconic-Event-Id"));
      WebhookEvent event = h.gateway.handleWebhook(deliveries.get(2).body(), deliveries.get(2).headers());
      assertThat(event.eventType()).isEqualTo("payment.succeeded");
    }
  }

  @Test
  void aWebhookWhoseConnectionDroppedIsRetried() throws Exception {
    try (SandboxHarness h = SandboxHarness.start(b -> b)) {
      h.receiver.answerNext(0);
      GatewayPayment payment = h.initiate(900);

      h.sandbox.approve(payment.transactionId());

      List<Delivery> deliveries = h.awaitDeliveries(2);
      assertThat(deliveries).extracting(Delivery::answered).containsExactly(0, 200);
      assertThat(h.gateway.handleWebhook(deliveries.get(1).body(), deliveries.get(1).headers()).transactionId())
          .isEqualTo(payment.transactionId());
    }
  }

  @Test
  void theAdminEndpointShowsTheFaultsInForce() throws Exception {
    try (SandboxHarness h = SandboxHarness.start(b -> b)) {
      h.sandbox.setFaults(Faults.none().withDuplicateWebhooks(true).withFailNext(3));
      Request get = new Request.Builder().url(h.sandbox.baseUrl() + "/__admin/faults")
          .header("Authorization", "Bearer " + SandboxHarness.API_KEY.reveal()).build();

      try (Response response = h.http.newCall(get).execute()) {
        JsonNode faults = Json.mapper().readTree(response.body().string());
        assertThat(Faults.fromJson(faults)).isEqualTo(h.sandbox.faults());
        assertThat(faults.get("failNext").asInt()).isEqualTo(3);
      }
    }
  }

  private static Response admin(SandboxHarness h, String key, String json) throws IOException {
    Request request = new Request.Builder().url(h.sandbox.baseUrl() + "/__admin/faults")
        .header("Authorization", "Bearer " + key)
        .post(RequestBody.create(json, JSON)).build();
    return h.http.newCall(request).execute();
  }
}
