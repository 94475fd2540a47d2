package io.tabletap.server;

import io.tabletap.server.config.ConfigException;
import io.tabletap.server.config.Secret;
import io.tabletap.server.sandbox.PayconicSandbox;
import io.tabletap.server.sandbox.SandboxConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code sandbox [--sandbox-port N] [--sandbox-webhook-url URL] [options]}: the Payconic sandbox
 * on its own, for demos and for a server-lite pointed at it with {@code payconic.url}. It reads the
 * usual settings ({@code payconic.api.key}, {@code payconic.webhook.secret}, {@code
 * payconic.merchant.id}, {@code sandbox.port}, {@code sandbox.auto.approve.ms}, {@code bind});
 * an API key or webhook secret that is not set is generated and printed once on stdout, never
 * through the logger.
 */
final class SandboxCommand {
  static final String WEBHOOK_URL_OPTION = "sandbox-webhook-url";
  static final String DEFAULT_WEBHOOK_URL = "http://localhost:" + ServerConfig.DEFAULT_HTTP_PORT + "/webhooks/payconic";

  private SandboxCommand() {}

  /** Starts the sandbox and prints how to reach it; the caller closes it (on SIGTERM). */
  static PayconicSandbox start(List<String> args, Map<String, String> env, PrintStream out, Clock clock) throws IOException {
    Map<String, String> own = new LinkedHashMap<>();
    ServerConfig config = ConfigLoader.load(env, Main.settingFlags(args, List.of(WEBHOOK_URL_OPTION), own));
    PaymentsConfig payments = config.payments();
    String webhookUrl = own.getOrDefault(WEBHOOK_URL_OPTION, DEFAULT_WEBHOOK_URL);
    if (!isHttpUrl(webhookUrl)) {
      throw new ConfigException("Invalid option --" + WEBHOOK_URL_OPTION + ": '" + webhookUrl + "' is not an http(s) URL");
    }
    SecureRandom random = new SecureRandom();
    Secret apiKey = payments.payconicApiKey() != null ? payments.payconicApiKey() : new Secret("sk_sandbox_" + random(random));
    Secret webhookSecret = payments.payconicWebhookSecret() != null ? payments.payconicWebhookSecret()
        : new Secret("whsec_" + random(random));
    Long autoApproveMs = payments.sandboxAutoApproveMs();
    PayconicSandbox sandbox = PayconicSandbox.start(SandboxConfig.builder(apiKey, webhookSecret, clock)
        .bindAddress(config.bindAddress())
        .port(payments.sandboxPort())
        .merchantId(payments.payconicMerchantId())
        .webhookUrl(webhookUrl)
        .autoApproveAfter(autoApproveMs == null ? null : Duration.ofMillis(autoApproveMs))
        .build());
    out.println("Payconic sandbox listening on " + sandbox.baseUrl());
    out.println("Webhooks go to " + webhookUrl);
    out.println("Merchant id: " + payments.payconicMerchantId());
    describe(out, "API key", "payconic.api.key", payments.payconicApiKey(), apiKey);
    describe(out, "Webhook secret", "payconic.webhook.secret", payments.payconicWebhookSecret(), webhookSecret);
    out.flush();
    return sandbox;
  }

  private static void describe(PrintStream out, String what, String key, Secret configured, Secret used) {
    if (configured != null) {
      out.println(what + ": from setting " + key + " (" + ConfigLoader.envName(key) + ")");
    } else {
      out.println(what + " (generated; shown once; set " + ConfigLoader.envName(key) + " to keep one):");
      out.println(used.reveal());
    }
  }

  private static boolean isHttpUrl(String value) {
    try {
      URI uri = new URI(value);
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private static String random(SecureRandom random) {
    byte[] bytes = new byte[24];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
