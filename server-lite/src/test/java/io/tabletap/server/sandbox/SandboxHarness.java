package io.tabletap.server.sandbox;

import static org.awaitility.Awaitility.await;

import io.tabletap.server.config.Secret;
import io.tabletap.server.domain.Money;
import io.tabletap.server.domain.PaymentMethod;
import io.tabletap.server.payment.GatewayPayment;
import io.tabletap.server.payment.PaymentRequest;
import io.tabletap.server.payment.payconic.PayconicConfig;
import io.tabletap.server.payment.payconic.PayconicGateway;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * A sandbox on a free port whose webhooks go to a {@link RecordingWebhookReceiver}, and the real
 * {@link PayconicGateway} pointed at it, sharing one OkHttpClient as the application does.
 * Webhook retries back off 10 ms, 20 ms … so retries take milliseconds.
 */
final class SandboxHarness implements AutoCloseable {
  static final Secret API_KEY = new Secret("sk_sandbox_e2e_3f9a7c");
  static final Secret WEBHOOK_SECRET = new Secret("whsec_sandbox_e2e_81d2b6");
  static final Duration DEADLINE = Duration.ofSeconds(10);

  final Clock clock = Clock.systemUTC();
  final OkHttpClient http = new OkHttpClient.Builder().followRedirects(false).build();
  final RecordingWebhookReceiver receiver;
  final PayconicSandbox sandbox;
  final PayconicGateway gateway;

  private SandboxHarness(UnaryOperator<SandboxConfig.Builder> settings, Duration gatewayTimeout) throws IOException {
    receiver = RecordingWebhookReceiver.start();
    sandbox = PayconicSandbox.start(settings.apply(SandboxConfig.builder(API_KEY, WEBHOOK_SECRET, clock)
        .webhookUrl(receiver.url())
        .webhookBackoff(new Backoff(Duration.ofMillis(10), Duration.ofMillis(80), 5))).build(), http);
    gateway = new PayconicGateway(http, PayconicConfig.of(sandbox.baseUrl(), API_KEY, "tabletap-demo", WEBHOOK_SECRET)
        .withTimeout(gatewayTimeout).withReturnUrl("http://till.local/paid"), clock);
  }

  static SandboxHarness start(UnaryOperator<SandboxConfig.Builder> settings) throws IOException {
    return new SandboxHarness(settings, Duration.ofSeconds(5));
  }

  static SandboxHarness start(UnaryOperator<SandboxConfig.Builder> settings, Duration gatewayTimeout) throws IOException {
    return new SandboxHarness(settings, gatewayTimeout);
  }

  static PaymentRequest request(long cents) {
    UUID paymentId = UUID.randomUUID();
    return new PaymentRequest(paymentId, UUID.randomUUID(), "demo", 7, PaymentMethod.PAYCONIC_CARD, Money.of(cents, "AUD"),
        "payment-" + paymentId, "Demo Cafe order 7", null, "cashier");
  }

  GatewayPayment initiate(long cents) {
    return gateway.initiatePayment(request(cents));
  }

  /** Waits (up to {@link #DEADLINE}) until at least {@code n} deliveries arrived, and answers them all. */
  List<RecordingWebhookReceiver.Delivery> awaitDeliveries(int n) {
    await().atMost(DEADLINE).pollInterval(Duration.ofMillis(10)).until(() -> receiver.deliveries().size() >= n);
    return receiver.deliveries();
  }

  Response get(String url) throws IOException {
    return http.newCall(new Request.Builder().url(url).build()).execute();
  }

  @Override
  public void close() {
    sandbox.close();
    receiver.close();
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }
}
