package io.tabletap.server;

import io.tabletap.server.config.PrivateFiles;
import io.tabletap.server.config.Secret;
import io.tabletap.server.payment.payconic.PayconicConfig;
import io.tabletap.server.payment.payconic.PayconicGateway;
import io.tabletap.server.sandbox.PayconicSandbox;
import io.tabletap.server.sandbox.SandboxConfig;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root's wiring of the payment providers: the Payconic gateway (to the real
 * provider or the embedded sandbox) and the webhook secrets. Part of the composition root, like
 * {@link ServerLite}.
 */
final class PaymentProviders {
  private static final Logger log = LoggerFactory.getLogger(PaymentProviders.class);

  private PaymentProviders() {}

  /**
   * The embedded Payconic simulator, for when no real Payconic is configured. It and server-lite
   * share the webhook secret (the configured one, else a random one for this run); the API key is
   * random: only our own gateway talks to it.
   */
  static PayconicSandbox startSandbox(ServerConfig config, Clock clock, OkHttpClient httpClient) throws IOException {
    PaymentsConfig p = config.payments();
    SandboxConfig.Builder builder = SandboxConfig.builder(p.payconicApiKey() != null ? p.payconicApiKey() : randomSecret(),
            p.payconicWebhookSecret() != null ? p.payconicWebhookSecret() : randomSecret(), clock)
        .bindAddress(config.bindAddress())
        .port(p.sandboxPort())
        .merchantId(p.payconicMerchantId());
    if (p.sandboxAutoApproveMs() != null) {
      builder.autoApproveAfter(java.time.Duration.ofMillis(p.sandboxAutoApproveMs()));
    }
    PayconicSandbox sandbox = PayconicSandbox.start(builder.build(), httpClient);
    log.info("Payconic sandbox at {} ({})", sandbox.baseUrl(), p.sandboxAutoApproveMs() == null
        ? "a person approves each payment on its page" : "approves each payment after " + p.sandboxAutoApproveMs() + " ms");
    return sandbox;
  }

  static PayconicGateway payconicGateway(ServerConfig config, PayconicSandbox sandbox, OkHttpClient httpClient, Clock clock) {
    PaymentsConfig p = config.payments();
    PayconicConfig payconic = sandbox != null
        ? new PayconicConfig(sandbox.baseUrl(), sandbox.config().apiKey(), p.payconicMerchantId(),
            List.of(sandbox.config().webhookSecret()), p.payconicTimeout(), null)
        : new PayconicConfig(p.payconicUrl(), p.payconicApiKey(), p.payconicMerchantId(), List.of(p.payconicWebhookSecret()),
            p.payconicTimeout(), null);
    return new PayconicGateway(httpClient, payconic, clock);
  }

  /** The bank's webhook secret: configured, or made once and kept (owner-only) in the data dir. */
  static Secret bankWebhookSecret(ServerConfig config) {
    if (config.payments().bankWebhookSecret() != null) {
      return config.payments().bankWebhookSecret();
    }
    java.nio.file.Path file = config.dataDir().resolve(ServerLite.BANK_WEBHOOK_SECRET_FILE);
    return new Secret(PrivateFiles.read(file).orElseGet(() -> {
      String fresh = randomSecret().reveal();
      PrivateFiles.writeNew(file, fresh);
      return fresh;
    }));
  }

  static Secret randomSecret() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return new Secret(java.util.HexFormat.of().formatHex(bytes));
  }
}
