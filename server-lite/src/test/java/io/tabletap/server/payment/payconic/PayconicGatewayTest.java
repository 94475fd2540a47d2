package io.tabletap.server.payment.payconic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tabletap.server.config.Secret;
import io.tabletap.server.domain.Money;
import io.tabletap.server.domain.PaymentMethod;
import io.tabletap.server.domain.PaymentStatus;
import io.tabletap.server.json.Json;
import io.tabletap.server.payment.GatewayException;
import io.tabletap.server.payment.GatewayPayment;
import io.tabletap.server.payment.GatewayRefund;
import io.tabletap.server.payment.PaymentRequest;
import io.tabletap.server.testing.MutableClock;
import io.tabletap.server.testing.RecordingStderr;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import mockwebserver3.junit5.StartStop;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PayconicGatewayTest {
  static final Secret API_KEY = new Secret("sk_test_4eC39HqLyjWDarjtT1zdp7dc");
  static final Secret WEBHOOK_SECRET = new Secret("whsec_gateway_test_secret");

  @StartStop private final MockWebServer server = new MockWebServer();
  private final OkHttpClient shared = new OkHttpClient();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T09:30:00Z"));
  private final UUID paymentId = UUID.fromString("5a1f0c8e-3b2d-4e6f-8a9b-0c1d2e3f4a5b");
  private final UUID orderId = UUID.fromString("0b6f3c1e-8f7a-4d2b-9c5e-1a2b3c4d5e6f");

  @Test
  void initiatingAPaymentPostsItWithTheIdempotencyKeyAndTheAccountHeaders() throws Exception {
    server.enqueue(json(201, "{\"id\":\"pay_1\",\"status\":\"pending\",\"redirectUrl\":\"https://pay.example/pay_1\"}"));

    GatewayPayment payment = gateway().initiatePayment(request(PaymentMethod.PAYCONIC_CARD));

    assertThat(payment).isEqualTo(new GatewayPayment("pay_1", PaymentStatus.PENDING, "https://pay.example/pay_1", null, null));
    RecordedRequest sent = take();
    assertThat(sent.getMethod()).isEqualTo("POST");
    assertThat(sent.getUrl().encodedPath()).isEqualTo("/v1/payments");
    assertThat(sent.getHeaders().get("Authorization")).isEqualTo("Bearer " + API_KEY.reveal());
    assertThat(sent.getHeaders().get("X-Merchant-ID")).isEqualTo("cafe-42");
    assertThat(sent.getHeaders().get("Idempotency-Key")).isEqualTo("payment-" + paymentId);
    assertThat(sent.getHeaders().get("Content-Type")).startsWith("application/json");
    JsonNode body = Json.mapper().readTree(sent.getBody().utf8());
    assertThat(body.get("amount").asLong()).isEqualTo(900);
    assertThat(body.get("amount").isIntegralNumber()).isTrue();
    assertThat(body.get("currency").asText()).isEqualTo("AUD");
    assertThat(body.get("merchantReference").asText()).isEqualTo(orderId.toString());
    assertThat(body.get("paymentId").asText()).isEqualTo(paymentId.toString());
    assertThat(body.get("returnUrl").asText()).isEqualTo("http://till.local/paid");
    assertThat(body.get("method").asText()).isEqualTo("card");
    assertThat(body.get("description").asText()).isEqualTo("Demo Cafe order 42");
  }

  @ParameterizedTest
  @CsvSource({"PAYCONIC_BANK_TRANSFER, bank_transfer", "PAYCONIC_DIGITAL_WALLET, digital_wallet"})
  void eachPayconicMethodIsSentByPayconicsName(PaymentMethod method, String wire) throws Exception {
    server.enqueue(json(201, "{\"id\":\"pay_1\",\"status\":\"pending\",\"redirectUrl\":\"https://pay.example/pay_1\"}"));

    gateway().initiatePayment(request(method));

    assertThat(Json.mapper().readTree(take().getBody().utf8()).get("method").asText()).isEqualTo(wire);
  }

  @Test
  void aMethodThatIsNotPayconicsIsRefusedWithoutACall() {
    assertThatThrownBy(() -> gateway().initiatePayment(request(PaymentMethod.CASH)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void aRefusalIsPermanentAndCarriesThePaconicMessage() {
    server.enqueue(json(422, "{\"error\":{\"type\":\"invalid_request\",\"message\":\"amount must be from 1 to 10000000000\"}}"));

    assertThatThrownBy(() -> gateway().initiatePayment(request(PaymentMethod.PAYCONIC_CARD)))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.retryable()).isFalse())
        .hasMessageContaining("422")
        .hasMessageContaining("invalid_request: amount must be from 1 to 10000000000");
  }

  @Test
  void aRefusalWithoutAJsonBodyIsStillPermanentAndReadable() {
    server.enqueue(new MockResponse.Builder().code(404).body("<html>\n  Not here\n</html>").build());

    assertThatThrownBy(() -> gateway().verifyPayment("pay_404"))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.retryable()).isFalse())
        .hasMessageContaining("404").hasMessageContaining("<html> Not here </html>");
  }

  @ParameterizedTest
  @ValueSource(ints = {429, 500, 502, 503, 504})
  void serverErrorsAndRateLimitsAreRetryable(int code) {
    server.enqueue(json(code, "{\"error\":{\"type\":\"api_error\",\"message\":\"try later\"}}"));

    assertThatThrownBy(() -> gateway().initiatePayment(request(PaymentMethod.PAYCONIC_CARD)))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.retryable()).isTrue())
        .hasMessageContaining(Integer.toString(code)).hasMessageContaining("try later");
  }

  @Test
  void aTimeoutIsRetryable() {
    server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());

    assertThatThrownBy(() -> gateway(Duration.ofMillis(300)).initiatePayment(request(PaymentMethod.PAYCONIC_CARD)))
        .isInstanceOfSatisfying(GatewayException.class, e -> {
          assertThat(e.retryable()).isTrue();
          assertThat(e.getCause()).isInstanceOf(InterruptedIOException.class);
        });
  }

  @Test
  void aConnectionFailureIsRetryable() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    PayconicGateway gateway = new PayconicGateway(shared,
        PayconicConfig.of("http://127.0.0.1:" + closedPort, API_KEY, "cafe-42", WEBHOOK_SECRET), clock);

    assertThatThrownBy(() -> gateway.verifyPayment("pay_1"))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.retryable()).isTrue());
  }

  @Test
  void aRetriedInitiateSendsTheSameIdempotencyKeyAndBody() throws Exception {
    server.enqueue(json(503, "{\"error\":{\"type\":\"api_error\",\"message\":\"overloaded\"}}"));
    server.enqueue(json(201, "{\"id\":\"pay_1\",\"status\":\"pending\",\"redirectUrl\":\"https://pay.example/pay_1\"}"));
    PayconicGateway gateway = gateway();
    PaymentRequest request = request(PaymentMethod.PAYCONIC_CARD);

    assertThatThrownBy(() -> gateway.initiatePayment(request))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.retryable()).isTrue());
    GatewayPayment payment = gateway.initiatePayment(request);

    assertThat(payment.transactionId()).isEqualTo("pay_1");
    RecordedRequest first = take();
    RecordedRequest retry = take();
    assertThat(retry.getHeaders().get("Idempotency-Key")).isEqualTo(first.getHeaders().get("Idempotency-Key"))
        .isEqualTo(request.idempotencyKey());
    assertThat(retry.getBody()).isEqualTo(first.getBody());
  }

  @Test
  void aSuccessfulAnswerThatIsNotJsonIsRetryable() {
    server.enqueue(new MockResponse.Builder().code(201).body("<html>gateway</html>").build());

    assertThatThrownBy(() -> gateway().initiatePayment(request(PaymentMethod.PAYCONIC_CARD)))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.retryable()).isTrue());
  }

  @Test
  void verifyingASucceededPaymentReportsCompletedWithTheCapturedAmount() throws Exception {
    server.enqueue(json(200, "{\"id\":\"pay_1\",\"status\":\"succeeded\",\"amount\":900,\"currency\":\"AUD\","
        + "\"redirectUrl\":\"https://pay.example/pay_1\",\"someNewField\":{\"x\":1}}"));

    GatewayPayment payment = gateway().verifyPayment("pay_1");

    assertThat(payment).isEqualTo(new GatewayPayment("pay_1", PaymentStatus.COMPLETED, "https://pay.example/pay_1",
        Money.of(900, "AUD"), null));
    RecordedRequest sent = take();
    assertThat(sent.getMethod()).isEqualTo("GET");
    assertThat(sent.getUrl().encodedPath()).isEqualTo("/v1/payments/pay_1");
    assertThat(sent.getHeaders().get("Authorization")).isEqualTo("Bearer " + API_KEY.reveal());
    assertThat(sent.getHeaders().get("X-Merchant-ID")).isEqualTo("cafe-42");
  }

  @Test
  void verifyingAFailedPaymentCarriesPayconicsReason() {
    server.enqueue(json(200, "{\"id\":\"pay_1\",\"status\":\"failed\",\"amount\":900,\"currency\":\"AUD\","
        + "\"failureMessage\":\"Card declined\"}"));

    GatewayPayment payment = gateway().verifyPayment("pay_1");

    assertThat(payment.status()).isEqualTo(PaymentStatus.FAILED);
    assertThat(payment.capturedAmount()).isNull();
    assertThat(payment.message()).isEqualTo("Card declined");
  }

  @Test
  void aSucceededPaymentWithAnUnknownCurrencyIsAPermanentError() {
    server.enqueue(json(200, "{\"id\":\"pay_1\",\"status\":\"succeeded\",\"amount\":900,\"currency\":\"XQQ\"}"));

    assertThatThrownBy(() -> gateway().verifyPayment("pay_1"))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.retryable()).isFalse())
        .hasMessageContaining("XQQ");
  }

  @ParameterizedTest
  @CsvSource({"pending, PENDING", "processing, PROCESSING", "succeeded, COMPLETED", "failed, FAILED",
      "cancelled, CANCELLED", "expired, EXPIRED", "something_new, PROCESSING"})
  void payconicStatusesMapToOurs(String payconic, PaymentStatus ours) {
    server.enqueue(json(200, "{\"id\":\"pay_1\",\"status\":\"" + payconic + "\",\"amount\":900,\"currency\":\"AUD\"}"));

    assertThat(gateway().verifyPayment("pay_1").status()).isEqualTo(ours);
  }

  @Test
  void anIdIsOnePathSegmentWhateverItContains() throws Exception {
    server.enqueue(json(200, "{\"id\":\"a/../b\",\"status\":\"pending\"}"));

    gateway().verifyPayment("a/../b");

    assertThat(take().getUrl().encodedPath()).isEqualTo("/v1/payments/a%2F..%2Fb");
  }

  @Test
  void aPartialRefundPostsTheAmountWithTheRefundKey() throws Exception {
    server.enqueue(json(201, "{\"id\":\"re_1\",\"status\":\"pending\",\"amount\":400,\"currency\":\"AUD\"}"));

    GatewayRefund refund = gateway().refundPayment("pay_1", Optional.of(Money.of(400, "AUD")), "refund-r1");

    assertThat(refund).isEqualTo(new GatewayRefund("re_1", false));
    RecordedRequest sent = take();
    assertThat(sent.getUrl().encodedPath()).isEqualTo("/v1/payments/pay_1/refunds");
    assertThat(sent.getHeaders().get("Idempotency-Key")).isEqualTo("refund-r1");
    assertThat(sent.getBody().utf8()).isEqualTo("{\"amount\":400}");
  }

  @Test
  void aFullRefundSendsNoAmountAndAnImmediateSuccessIsCompleted() throws Exception {
    server.enqueue(json(201, "{\"id\":\"re_2\",\"status\":\"succeeded\"}"));

    GatewayRefund refund = gateway().refundPayment("pay_1", Optional.empty(), "refund-r2");

    assertThat(refund).isEqualTo(new GatewayRefund("re_2", true));
    assertThat(take().getBody().utf8()).isEqualTo("{}");
  }

  @Test
  void aRefundAnsweredFailedIsAPermanentError() {
    server.enqueue(json(201, "{\"id\":\"re_3\",\"status\":\"failed\",\"failureMessage\":\"Card expired\"}"));

    assertThatThrownBy(() -> gateway().refundPayment("pay_1", Optional.empty(), "refund-r3"))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.retryable()).isFalse())
        .hasMessageContaining("Card expired");
  }

  @Test
  void aPostWithoutAnIdempotencyKeyIsNeverSent() {
    assertThatThrownBy(() -> gateway().refundPayment("pay_1", Optional.empty(), null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void neitherTheApiKeyNorTheWebhookSecretReachesALogLineOrAnExceptionEvenOnFailures() {
    server.enqueue(json(201, "{\"id\":\"pay_1\",\"status\":\"pending\",\"redirectUrl\":\"https://pay.example/pay_1\"}"));
    server.enqueue(json(500, "{\"error\":{\"type\":\"api_error\",\"message\":\"boom\"}}"));
    server.enqueue(json(401, "{\"error\":{\"type\":\"authentication_error\",\"message\":\"Invalid API key "
        + API_KEY.reveal() + "\"}}"));
    server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
    PayconicGateway gateway = gateway(Duration.ofMillis(300));
    List<String> messages = new java.util.ArrayList<>();

    String log;
    try (RecordingStderr stderr = RecordingStderr.start()) {
      gateway.initiatePayment(request(PaymentMethod.PAYCONIC_CARD));
      for (int i = 0; i < 3; i++) {
        try {
          gateway.initiatePayment(request(PaymentMethod.PAYCONIC_CARD));
        } catch (GatewayException e) {
          messages.add(e.toString());
        }
      }
      try {
        gateway.handleWebhook("{}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
            java.util.Map.of(PayconicGateway.SIGNATURE_HEADER, List.of("t=1,v1=" + "0".repeat(64))));
      } catch (RuntimeException e) {
        messages.add(e.toString());
      }
      log = stderr.text();
    }

    assertThat(log).as("the calls were logged, with Authorization masked")
        .contains("--> POST").contains("Authorization: ██").contains("500").contains("401")
        // OkHttp says "timeout" when the call's deadline fires first, "Read timed out" when the socket's does
        .containsPattern("timeout|timed out");
    assertThat(messages).hasSize(4).allSatisfy(message -> assertThat(message)
        .doesNotContain(API_KEY.reveal()).doesNotContain(WEBHOOK_SECRET.reveal()));
    assertThat(messages.get(1)).contains("Invalid API key " + Redactor.MASK);
    assertThat(log).doesNotContain(API_KEY.reveal()).doesNotContain(WEBHOOK_SECRET.reveal());
  }

  PayconicGateway gateway() {
    return gateway(Duration.ofSeconds(5));
  }

  PayconicGateway gateway(Duration timeout) {
    return new PayconicGateway(shared, new PayconicConfig(server.url("/v1").toString(), API_KEY, "cafe-42",
        List.of(WEBHOOK_SECRET), timeout, "http://till.local/paid"), clock);
  }

  PaymentRequest request(PaymentMethod method) {
    return new PaymentRequest(paymentId, orderId, "demo", 42, method, Money.of(900, "AUD"), "payment-" + paymentId,
        "Demo Cafe order 42", null, "cashier");
  }

  static MockResponse json(int code, String body) {
    return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build();
  }

  RecordedRequest take() throws InterruptedException {
    RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(request).as("a request reached the server").isNotNull();
    return request;
  }
}
