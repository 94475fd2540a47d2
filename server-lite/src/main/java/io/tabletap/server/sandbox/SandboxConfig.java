package io.tabletap.server.sandbox;

import io.tabletap.server.config.Secret;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link PayconicSandbox} behaves. Immutable; build one with {@link #builder()}, whose
 * defaults are noted on each method.
 *
 * @param bindAddress the address to listen on
 * @param port 0 picks a free one
 * @param publicUrl the base URL customers' browsers reach the sandbox by (for the hosted page's
 *     {@code redirectUrl}); null: {@code http://<bindAddress>:<port>}, with {@code localhost} for
 *     a wildcard address
 * @param apiKey the only key the API accepts
 * @param merchantId the only {@code X-Merchant-ID} the API accepts
 * @param merchantName shown on the hosted page
 * @param webhookSecret signs the webhooks
 * @param webhookUrl where webhooks are POSTed; null sends none (see also {@link
 *     PayconicSandbox#setWebhookUrl})
 * @param autoApproveAfter approve each new payment after this long; null waits for a click
 * @param webhookBackoff retries of a webhook that was not answered 2xx
 * @param webhookTimeout the whole of one webhook delivery attempt
 * @param faults the faults in force at start
 * @param clock for timestamps (payments, events, signatures)
 */
public record SandboxConfig(
    String bindAddress, int port, String publicUrl, Secret apiKey, String merchantId, String merchantName,
    Secret webhookSecret, String webhookUrl, Duration autoApproveAfter, Backoff webhookBackoff, Duration webhookTimeout,
    Faults faults, Clock clock) {

  public SandboxConfig {
    Objects.requireNonNull(bindAddress, "bindAddress");
    Objects.requireNonNull(apiKey, "apiKey");
    Objects.requireNonNull(merchantId, "merchantId");
    Objects.requireNonNull(merchantName, "merchantName");
    Objects.requireNonNull(webhookSecret, "webhookSecret");
    Objects.requireNonNull(webhookBackoff, "webhookBackoff");
    Objects.requireNonNull(webhookTimeout, "webhookTimeout");
    Objects.requireNonNull(faults, "faults");
    Objects.requireNonNull(clock, "clock");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0 to 65535: " + port);
    }
    if (webhookUrl != null && okhttp3.HttpUrl.parse(webhookUrl) == null) {
      throw new IllegalArgumentException("webhookUrl is not an http(s) URL: " + webhookUrl);
    }
    if (autoApproveAfter != null && autoApproveAfter.isNegative()) {
      throw new IllegalArgumentException("autoApproveAfter cannot be negative");
    }
  }

  /**
   * @param apiKey the key clients must send
   * @param webhookSecret the secret webhooks are signed with
   * @param clock for timestamps; the composition root's clock
   */
  public static Builder builder(Secret apiKey, Secret webhookSecret, Clock clock) {
    return new Builder(apiKey, webhookSecret, clock);
  }

  /** Builds a {@link SandboxConfig}; every setting but the secrets and the clock has a default. */
  public static final class Builder {
    private final Secret apiKey;
    private final Secret webhookSecret;
    private String bindAddress = "127.0.0.1";
    private int port;
    private String publicUrl;
    private String merchantId = "tabletap-demo";
    private String merchantName = "TableTap Demo Cafe";
    private String webhookUrl;
    private Duration autoApproveAfter;
    private Backoff webhookBackoff = Backoff.defaults();
    private Duration webhookTimeout = Duration.ofSeconds(10);
    private Faults faults = Faults.none();
    private final Clock clock;

    private Builder(Secret apiKey, Secret webhookSecret, Clock clock) {
      this.apiKey = apiKey;
      this.webhookSecret = webhookSecret;
      this.clock = clock;
    }

    /** Default {@code 127.0.0.1}; {@code 0.0.0.0} lets phones on the LAN open the hosted page. */
    public Builder bindAddress(String address) {
      this.bindAddress = address;
      return this;
    }

    /** Default 0: any free port. */
    public Builder port(int newPort) {
      this.port = newPort;
      return this;
    }

    /** Default null: derived from the bind address and port. */
    public Builder publicUrl(String url) {
      this.publicUrl = url;
      return this;
    }

    /** Default {@code tabletap-demo}. */
    public Builder merchantId(String id) {
      this.merchantId = id;
      return this;
    }

    /** Default {@code TableTap Demo Cafe}. */
    public Builder merchantName(String name) {
      this.merchantName = name;
      return this;
    }

    /** Default null: no webhooks. */
    public Builder webhookUrl(String url) {
      this.webhookUrl = url;
      return this;
    }

    /** Default null: payments wait for Approve or Decline on the hosted page. */
    public Builder autoApproveAfter(Duration delay) {
      this.autoApproveAfter = delay;
      return this;
    }

    /** Default {@link Backoff#defaults()}. */
    public Builder webhookBackoff(Backoff backoff) {
      this.webhookBackoff = backoff;
      return this;
    }

    /** Default 10 s. */
    public Builder webhookTimeout(Duration timeout) {
      this.webhookTimeout = timeout;
      return this;
    }

    /** Default {@link Faults#none()}. */
    public Builder faults(Faults initial) {
      this.faults = initial;
      return this;
    }

    public SandboxConfig build() {
      return new SandboxConfig(bindAddress, port, publicUrl, apiKey, merchantId, merchantName, webhookSecret, webhookUrl,
          autoApproveAfter, webhookBackoff, webhookTimeout, faults, clock);
    }
  }
}
