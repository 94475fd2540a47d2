package io.tabletap.server.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tabletap.server.config.TcpNoDelay;
import io.tabletap.server.domain.Money;
import io.tabletap.server.domain.PaymentStatus;
import io.tabletap.server.json.Json;
import io.tabletap.server.payment.GatewayException;
import io.tabletap.server.payment.GatewayPayment;
import io.tabletap.server.payment.GatewayRefund;
import io.tabletap.server.payment.PaymentRequest;
import io.tabletap.server.webhook.WebhookEvent;
import io.tabletap.server.sandbox.RecordingWebhookReceiver.Delivery;
import java.time.Duration;
import java.util.Optional;
import okhttp3.FormBody;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/** The sandbox end to end, through the real PayconicGateway and a real webhook receiver. */
class PayconicSandboxTest {

  @Test
  void turnsNaglesAlgorithmOffBeforeItMakesItsServer() throws Exception {
    // server-lite starts the sandbox before its API; the JDK reads the setting at the first server
    String before = System.clearProperty(TcpNoDelay.PROPERTY);
    try (SandboxHarness h = SandboxHarness.start(b -> b)) {
      assertThat(System.getProperty(TcpNoDelay.PROPERTY)).isEqualTo("true");
    } finally {
      if (before != null) {
        System.setProperty(TcpNoDelay.PROPERTY, before);
      }
    }
    System.setProperty(TcpNoDelay.PROPERTY, "false"); // an operator's own setting wins
    try {
      TcpNoDelay.forJdkHttpServers();
      assertThat(System.getProperty(TcpNoDelay.PROPERTY)).isEqualTo("false");
    } finally {
      if (before != null) {
        System.setProperty(TcpNoDelay.PROPERTY, before);
      } else {
        System.clearProperty(TcpNoDelay.PROPERTY);
      }
    }
  }

  @Test
  void anAutoApprovedPaymentShowsItsPageSendsASignedWebhookAndVerifiesAsCompleted() throws Exception {
    try (SandboxHarness h = SandboxHarness.start(b -> b.autoApproveAfter(Duration.ofMillis(50)))) {
      PaymentRequest request = SandboxHarness.request(900);

      GatewayPayment payment = h.gateway.initiatePayment(request);

      assertThat(payment.status()).isEqualTo(PaymentStatus.PENDING);
      assertThat(payment.transactionId()).startsWith("pay_");
      assertThat(payment.redirectUrl()).isEqualTo(h.sandbox.baseUrl() + "/pay/" + payment.transactionId());
      try (Response page = h.get(payment.redirectUrl())) {
        assertThat(page.code()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.body().string()).contains("9.00 AUD").contains("TableTap Demo Cafe").contains("Demo Cafe order 7");
      }
      Delivery delivery = h.awaitDeliveries(1).get(0);
      WebhookEvent event = h.gateway.handleWebhook(delivery.body(), delivery.headers());
      assertThat(event.eventType()).isEqualTo("payment.succeeded");
      assertThat(event.provider()).isEqualTo("payconic");
      assertThat(event.transactionId()).isEqualTo(payment.transactionId());
      assertThat(event.orderId()).isEqualTo(request.orderId().toString());
      assertThat(event.amount()).isEqualTo(Money.of(900, "AUD"));
      assertThat(h.gateway.verifyPayment(payment.transactionId()))
          .isEqualTo(new GatewayPayment(payment.transactionId(), PaymentStatus.COMPLETED, payment.redirectUrl(),
              Money.of(900, "AUD"), null));
    }
  }

  @Test
  void clickingApproveOnTheHostedPageCompletesThePaymentAndReturnsTheCustomer() throws Exception {
    try (SandboxHarness h = SandboxHarness.start(b -> b)) {
      GatewayPayment payment = h.initiate(450);
      try (Response page = h.get(payment.redirectUrl())) {
        assertThat(page.body().string()).contains("4.50 AUD").contains(">Approve</button>").contains(">Decline</button>")
            .contains("action=\"/pay/" + payment.transactionId() + "/approve\"");
      }
      assertThat(h.gateway.verifyPayment(payment.transactionId()).status()).isEqualTo(PaymentStatus.PENDING);

      try (Response click = post(h, payment.redirectUrl() + "/approve")) {
        assertThat(click.code()).isEqualTo(303);
        assertThat(click.header("Location"))
            .isEqualTo("http://till.local/paid?paymentId=" + payment.transactionId() + "&status=succeeded");
      }

      Delivery delivery = h.awaitDeliveries(1).get(0);
      assertThat(h.gateway.handleWebhook(delivery.body(), delivery.headers()).eventType()).isEqualTo("payment.succeeded");
      assertThat(h.gateway.verifyPayment(payment.transactionId()).status()).isEqualTo(PaymentStatus.COMPLETED);
      try (Response page = h.get(payment.redirectUrl())) {
        assertThat(page.body().string()).contains("Payment succeeded").doesNotContain("<button");
      }
    }
  }

  @Test
  void clickingDeclineFailsThePaymentAndSendsPaymentFailed() throws Exception {
    try (SandboxHarness h = SandboxHarness.start(b -> b)) {
      GatewayPayment payment = h.initiate(450);

      post(h, payment.redirectUrl() + "/decline").close();

      Delivery delivery = h.awaitDeliveries(1).get(0);
      assertThat(h.gateway.handleWebhook(delivery.body(), delivery.headers()).eventType()).isEqualTo("payment.failed");
      GatewayPayment verified = h.gateway.verifyPayment(payment.transactionId());
      assertThat(verified.status()).isEqualTo(PaymentStatus.FAILED);
      assertThat(verified.message()).contains("Declined");
      assertThat(h.sandbox.approve(payment.transactionId())).as("a decided payment stays decided").isFalse();
    }
  }

  @Test
  void aRefundThroughTheGatewayIsConfirmedByRefundSucceededAndIsIdempotent() throws Exception {
    try (SandboxHarness h = SandboxHarness.start(b -> b)) {
      GatewayPayment payment = h.initiate(900);
      h.sandbox.approve(payment.transactionId());
      h.awaitDeliveries(1);

      GatewayRefund refund = h.gateway.refundPayment(payment.transactionId(), Optional.of(Money.of(400, "AUD")), "refund-1");
      GatewayRefund again = h.gateway.refundPayment(payment.transactionId(), Optional.of(Money.of(400, "AUD")), "refund-1");

      assertThat(refund.refundId()).startsWith("re_");
      assertThat(refund.completed()).isFalse();
      assertThat(again.refundId()).isEqualTo(refund.refundId());
      Delivery delivery = h.awaitDeliveries(2).get(1);
      WebhookEvent event = h.gateway.handleWebhook(delivery.body(), delivery.headers());
      assertThat(event.eventType()).isEqualTo("refund.succeeded");
      assertThat(event.transactionId()).isEqualTo(payment.transactionId());
      assertThat(event.amount()).isEqualTo(Money.of(400, "AUD"));
      assertThat(delivery.text()).contains("\"refundId\":\"" + refund.refundId() + "\"");
      assertThatThrownBy(() -> h.gateway.refundPayment(payment.transactionId(), Optional.of(Money.of(501, "AUD")), "refund-2"))
          .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.retryable()).isFalse())
          .hasMessageContaining("from 1 to 500");
      assertThat(h.gateway.refundPayment(payment.transactionId(), Optional.empty(), "refund-3").refundId())
          .isNotEqualTo(refund.refundId());
      Delivery rest = h.awaitDeliveries(3).get(2);
      assertThat(h.gateway.handleWebhook(rest.body(), rest.headers()).amount()).isEqualTo(Money.of(500, "AUD"));
    }
  }

  @Test
  void aPendingPaymentCannotBeRefunded() throws Exception {
    try (SandboxHarness h = SandboxHarness.start(b -> b)) {
      GatewayPayment payment = h.initiate(900);

      assertThatThrownBy(() -> h.gateway.refundPayment(payment.transactionId(), Optional.empty(), "refund-early"))
          .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.retryable()).isFalse())
          .hasMessageContaining("409").hasMessageContaining("pending");
    }
  }

  @Test
  void initiatingAgainWithTheSameKeyReturnsTheSamePaymentAndNeverASecondOne() throws Exception {
    try (SandboxHarness h = SandboxHarness.start(b -> b)) {
      PaymentRequest request = SandboxHarness.request(900);

      GatewayPayment first = h.gateway.initiatePayment(request);
      GatewayPayment again = h.gateway.initiatePayment(request);
      GatewayPayment other = h.initiate(900);

      assertThat(again.transactionId()).isEqualTo(first.transactionId());
      assertThat(other.transactionId()).isNotEqualTo(first.transactionId());
      assertThat(h.sandbox.paymentCount()).isEqualTo(2);
      PaymentRequest sameKeyOtherAmount = new PaymentRequest(request.paymentId(), request.orderId(), "demo", 7,
          request.method(), Money.of(901, "AUD"), request.idempotencyKey(), request.reference(), null, "cashier");
      assertThatThrownBy(() -> h.gateway.initiatePayment(sameKeyOtherAmount))
          .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.retryable()).isFalse())
          .hasMessageContaining("idempotency_conflict");
    }
  }

  @Test
  void aWrongApiKeyIsAnswered401WithAJsonError() throws Exception {
    try (SandboxHarness h = SandboxHarness.start(b -> b)) {
      Request request = new Request.Builder().url(h.sandbox.baseUrl() + "/payments/pay_x")
          .header("Authorization", "Bearer sk_wrong").header("X-Merchant-ID", "tabletap-demo").build();

      try (Response response = h.http.newCall(request).execute()) {
        assertThat(response.code()).isEqualTo(401);
        assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer");
        JsonNode body = Json.mapper().readTree(response.body().string());
        assertThat(body.at("/error/type").asText()).isEqualTo("authentication_error");
      }
    }
  }

  @Test
  void aPaymentTheSandboxDoesNotKnowIsAPermanent404() throws Exception {
    try (SandboxHarness h = SandboxHarness.start(b -> b)) {
      assertThatThrownBy(() -> h.gateway.verifyPayment("pay_nope"))
          .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.retryable()).isFalse())
          .hasMessageContaining("404").hasMessageContaining("No payment pay_nope");
      try (Response page = h.get(h.sandbox.baseUrl() + "/pay/pay_nope")) {
        assertThat(page.code()).isEqualTo(404);
        assertThat(page.header("Content-Type")).startsWith("text/html");
      }
      try (Response click = post(h, h.sandbox.baseUrl() + "/pay/pay_nope/approve")) {
        assertThat(click.code()).isEqualTo(404);
      }
      assertThatThrownBy(() -> h.sandbox.approve("pay_nope")).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void theHostedPageEscapesWhatTheMerchantSent() throws Exception {
    try (SandboxHarness h = SandboxHarness.start(b -> b.merchantName("Bean & <Leaf>"))) {
      PaymentRequest request = SandboxHarness.request(900);
      PaymentRequest withScript = new PaymentRequest(request.paymentId(), request.orderId(), "demo", 7, request.method(),
          request.amount(), request.idempotencyKey(), "<script>alert(1)</script>", null, "cashier");
      GatewayPayment payment = h.gateway.initiatePayment(withScript);

      try (Response page = h.get(payment.redirectUrl())) {
        assertThat(page.body().string()).contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>")
            .contains("Bean &amp; &lt;Leaf&gt;");
      }
    }
  }

  @Test
  void withoutAWebhookUrlNothingIsSentAndThePaymentStillCompletes() throws Exception {
    try (SandboxHarness h = SandboxHarness.start(b -> b.webhookUrl(null))) {
      GatewayPayment payment = h.initiate(900);

      assertThat(h.sandbox.approve(payment.transactionId())).isTrue();

      assertThat(h.gateway.verifyPayment(payment.transactionId()).status()).isEqualTo(PaymentStatus.COMPLETED);
      assertThat(h.receiver.deliveries()).isEmpty();
    }
  }

  @Test
  void theWebhookUrlCanBeSetAfterStartForAServerWhosePortIsKnownOnlyThen() throws Exception {
    try (SandboxHarness h = SandboxHarness.start(b -> b.webhookUrl(null))) {
      GatewayPayment payment = h.initiate(900);

      h.sandbox.setWebhookUrl(h.receiver.url());
      h.sandbox.approve(payment.transactionId());

      Delivery delivery = h.awaitDeliveries(1).get(0);
      assertThat(h.gateway.handleWebhook(delivery.body(), delivery.headers()).transactionId())
          .isEqualTo(payment.transactionId());
      assertThatThrownBy(() -> h.sandbox.setWebhookUrl("not a url")).isInstanceOf(IllegalArgumentException.class);
    }
  }

  static Response post(SandboxHarness h, String url) throws java.io.IOException {
    RequestBody empty = new FormBody.Builder().build();
    return h.http.newCall(new Request.Builder().url(url).post(empty).build()).execute();
  }
}
