package io.tabletap.server;

import io.tabletap.server.config.Secret;
import java.time.Duration;

/**
 * How server-lite reaches its payment providers.
 *
 * @param payconicUrl Payconic's API base URL; null runs the embedded sandbox instead
 * @param payconicApiKey required with a URL; never logged
 * @param payconicWebhookSecret verifies Payconic's webhooks; null with the sandbox makes a random
 *     one that server-lite and the sandbox share
 * @param bankWebhookSecret verifies the bank's {@code transfer.received}; null makes a random one
 *     kept in the data directory
 * @param sandboxAutoApproveMs the sandbox approves a payment by itself after this long; null waits
 *     for a person on its hosted page
 * @param sandboxPort the sandbox's port when embedded (0: any free port)
 * @param publicUrl the base URL customers' phones and the provider reach server-lite by, such as
 *     {@code http://192.168.1.20:8080}; null uses {@code http://localhost:<port>}
 */
public record PaymentsConfig(
    String payconicUrl,
    Secret payconicApiKey,
    String payconicMerchantId,
    Secret payconicWebhookSecret,
    Secret bankWebhookSecret,
    Duration payconicTimeout,
    Long sandboxAutoApproveMs,
    int sandboxPort,
    String publicUrl) {

  public static PaymentsConfig defaults() {
    return new PaymentsConfig(null, null, "tabletap-demo", null, null, Duration.ofSeconds(30), null, 0, null);
  }

  /** True when no real Payconic is configured and the embedded sandbox stands in. */
  public boolean useSandbox() {
    return payconicUrl == null;
  }

  public PaymentsConfig withSandboxAutoApproveMs(Long ms) {
    return new PaymentsConfig(payconicUrl, payconicApiKey, payconicMerchantId, payconicWebhookSecret, bankWebhookSecret,
        payconicTimeout, ms, sandboxPort, publicUrl);
  }

  public PaymentsConfig withBankWebhookSecret(Secret secret) {
    return new PaymentsConfig(payconicUrl, payconicApiKey, payconicMerchantId, payconicWebhookSecret, secret,
        payconicTimeout, sandboxAutoApproveMs, sandboxPort, publicUrl);
  }

  public PaymentsConfig withPayconicWebhookSecret(Secret secret) {
    return new PaymentsConfig(payconicUrl, payconicApiKey, payconicMerchantId, secret, bankWebhookSecret,
        payconicTimeout, sandboxAutoApproveMs, sandboxPort, publicUrl);
  }

  public PaymentsConfig withPayconic(String url, Secret apiKey, Secret webhookSecret) {
    return new PaymentsConfig(url, apiKey, payconicMerchantId, webhookSecret, bankWebhookSecret,
        payconicTimeout, sandboxAutoApproveMs, sandboxPort, publicUrl);
  }

  public PaymentsConfig withPayconicTimeout(Duration timeout) {
    return new PaymentsConfig(payconicUrl, payconicApiKey, payconicMerchantId, payconicWebhookSecret, bankWebhookSecret,
        timeout, sandboxAutoApproveMs, sandboxPort, publicUrl);
  }
}
