package io.tabletap.server.payment.payconic;

import io.tabletap.server.config.Secret;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import okhttp3.HttpUrl;

/**
 * How {@link PayconicGateway} reaches one Payconic merchant account. Immutable; its {@code
 * toString()} shows secrets masked.
 *
 * @param baseUrl the API root, such as {@code https://api.payconic.example/v1} or the sandbox's
 *     {@code baseUrl()}; paths such as {@code /payments} are appended to it
 * @param apiKey sent as {@code Authorization: Bearer <apiKey>}; never logged
 * @param merchantId sent as {@code X-Merchant-ID}
 * @param webhookSecrets the secrets a webhook's signature may match: usually one, two while the
 *     secret is rotated; never logged
 * @param timeout the whole of one call (connect, send, wait, read); {@link #DEFAULT_TIMEOUT} when null
 * @param returnUrl where Payconic's hosted page sends the customer afterwards, or null for none
 */
public record PayconicConfig(
    String baseUrl, Secret apiKey, String merchantId, List<Secret> webhookSecrets, Duration timeout, String returnUrl) {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  public PayconicConfig {
    Objects.requireNonNull(baseUrl, "baseUrl");
    if (HttpUrl.parse(baseUrl) == null) {
      throw new IllegalArgumentException("Payconic base URL is not an http(s) URL: " + baseUrl);
    }
    Objects.requireNonNull(apiKey, "apiKey");
    if (merchantId == null || merchantId.isBlank()) {
      throw new IllegalArgumentException("Payconic merchant id is missing");
    }
    webhookSecrets = List.copyOf(webhookSecrets);
    if (webhookSecrets.isEmpty()) {
      throw new IllegalArgumentException("Payconic needs at least one webhook secret");
    }
    timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("Payconic timeout must be positive: " + timeout);
    }
  }

  /** One webhook secret, the default timeout, no return URL. */
  public static PayconicConfig of(String baseUrl, Secret apiKey, String merchantId, Secret webhookSecret) {
    return new PayconicConfig(baseUrl, apiKey, merchantId, List.of(webhookSecret), DEFAULT_TIMEOUT, null);
  }

  public PayconicConfig withTimeout(Duration newTimeout) {
    return new PayconicConfig(baseUrl, apiKey, merchantId, webhookSecrets, newTimeout, returnUrl);
  }

  public PayconicConfig withReturnUrl(String url) {
    return new PayconicConfig(baseUrl, apiKey, merchantId, webhookSecrets, timeout, url);
  }

  /** During a rotation: the new secret and the old one, both accepted. */
  public PayconicConfig withWebhookSecrets(List<Secret> secrets) {
    return new PayconicConfig(baseUrl, apiKey, merchantId, secrets, timeout, returnUrl);
  }
}
