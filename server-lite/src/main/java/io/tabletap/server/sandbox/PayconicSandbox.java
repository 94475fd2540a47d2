package io.tabletap.server.sandbox;

import io.tabletap.server.config.TcpNoDelay;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stand-in for the Payconic payment provider, for demos and tests: a real HTTP server with
 * Payconic's API (payments in memory), a hosted payment page with Approve and Decline buttons,
 * signed webhooks with retries, and faults to switch on (see docs/payconic.md).
 *
 * <pre>{@code
 * try (PayconicSandbox sandbox = PayconicSandbox.start(SandboxConfig.builder(apiKey, webhookSecret, clock)
 *     .webhookUrl("http://localhost:8080/webhooks/payconic").autoApproveAfter(Duration.ofSeconds(3)).build())) {
 *   String payconicUrl = sandbox.baseUrl();
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} stops serving at once, releases answers held by the timeout
 * fault and drops webhooks not yet delivered.
 */
public final class PayconicSandbox implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PayconicSandbox.class);
  private static final int HTTP_THREADS = 16;

  private final SandboxConfig config;
  private final FaultInjector faults;
  private final SandboxLedger ledger;
  private final CountDownLatch closing = new CountDownLatch(1);
  private final ScheduledExecutorService scheduler;
  private final ExecutorService httpExecutor;
  private final OkHttpClient ownedClient;
  private final WebhookDispatcher webhooks;
  private final HttpServer server;
  private final String baseUrl;
  private volatile String webhookUrl;

  private PayconicSandbox(SandboxConfig config, OkHttpClient shared, boolean ownsClient) throws IOException {
    this.config = config;
    this.webhookUrl = config.webhookUrl();
    this.faults = new FaultInjector(config.faults());
    this.ledger = new SandboxLedger(config.clock());
    this.ownedClient = ownsClient ? shared : null;
    this.scheduler = new ScheduledThreadPoolExecutor(4, threads("payconic-sandbox-worker-", true));
    OkHttpClient webhookClient = shared.newBuilder()
        .connectTimeout(config.webhookTimeout())
        .readTimeout(config.webhookTimeout())
        .writeTimeout(config.webhookTimeout())
        .callTimeout(config.webhookTimeout())
        .retryOnConnectionFailure(false)
        .followRedirects(false)
        .build();
    this.webhooks = new WebhookDispatcher(webhookClient, config, faults, scheduler, () -> ledger.newId("evt_"),
        () -> webhookUrl);
    this.httpExecutor = new ThreadPoolExecutor(HTTP_THREADS, HTTP_THREADS, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(256),
        threads("payconic-sandbox-http-", false));
    try {
      TcpNoDelay.forJdkHttpServers();
      this.server = HttpServer.create(new InetSocketAddress(config.bindAddress(), config.port()), 64);
    } catch (IOException e) {
      shutdownExecutors();
      throw e;
    }
    server.setExecutor(httpExecutor);
    SandboxApi api = new SandboxApi(this, ledger, faults, config);
    server.createContext("/payments", api);
    server.createContext("/__admin/", api);
    server.createContext("/pay/", new HostedPage(this, ledger, config));
    server.start();
    this.baseUrl = config.publicUrl() != null ? stripSlash(config.publicUrl())
        : "http://" + host(config.bindAddress()) + ":" + port();
    log.info("Payconic sandbox listening on {} (webhooks to {}, auto-approve {})", baseUrl,
        config.webhookUrl() == null ? "nowhere" : config.webhookUrl(),
        config.autoApproveAfter() == null ? "off" : config.autoApproveAfter().toMillis() + " ms");
  }

  /** Starts a sandbox with its own HTTP client for webhooks, closed with it. */
  public static PayconicSandbox start(SandboxConfig config) throws IOException {
    return new PayconicSandbox(config, new OkHttpClient(), true);
  }

  /**
   * Starts a sandbox whose webhooks go out through {@code shared.newBuilder()}: the application's
   * one client, which the caller keeps owning.
   */
  public static PayconicSandbox start(SandboxConfig config, OkHttpClient shared) throws IOException {
    return new PayconicSandbox(config, shared, false);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** Payconic's API base URL for clients, such as {@code http://127.0.0.1:49152} (no trailing slash). */
  public String baseUrl() {
    return baseUrl;
  }

  public SandboxConfig config() {
    return config;
  }

  /** Where webhooks go now, or null for nowhere. */
  public String webhookUrl() {
    return webhookUrl;
  }

  /**
   * Sends webhooks (from now on, retries included) to {@code url}, or nowhere if null: for a
   * server whose own port is known only after the sandbox started.
   *
   * @throws IllegalArgumentException if {@code url} is not an http(s) URL
   */
  public void setWebhookUrl(String url) {
    if (url != null && okhttp3.HttpUrl.parse(url) == null) {
      throw new IllegalArgumentException("Not an http(s) URL: " + url);
    }
    this.webhookUrl = url;
    log.info("Sandbox: webhooks now go to {}", url == null ? "nowhere" : url);
  }

  /** The faults in force now (with the "next N" counters as far as they are used up). */
  public Faults faults() {
    return faults.current();
  }

  /** Replaces the faults in force, as {@code POST /__admin/faults} does. */
  public void setFaults(Faults newFaults) {
    faults.set(newFaults);
  }

  /**
   * Approves a pending payment, as its page's Approve button does, and sends {@code
   * payment.succeeded}.
   *
   * @return false if the payment was no longer pending (nothing changes, nothing is sent)
   * @throws IllegalArgumentException if there is no such payment
   */
  public boolean approve(String payconicPaymentId) {
    return decide(payconicPaymentId, true);
  }

  /** Declines a pending payment and sends {@code payment.failed}; otherwise as {@link #approve}. */
  public boolean decline(String payconicPaymentId) {
    return decide(payconicPaymentId, false);
  }

  private boolean decide(String id, boolean approve) {
    if (ledger.find(id).isEmpty()) {
      throw new IllegalArgumentException("No payment " + id);
    }
    return ledger.decide(id, approve).map(payment -> {
      log.info("Sandbox: payment {} {}", id, payment.status());
      webhooks.paymentDecided(payment);
      return true;
    }).orElse(false);
  }

  /** How many payments the sandbox holds (for tests of idempotency). */
  int paymentCount() {
    return ledger.size();
  }

  /** The hosted page of a payment. */
  String redirectUrl(String payconicPaymentId) {
    return baseUrl + "/pay/" + payconicPaymentId;
  }

  /** A new payment was created: approve it later if auto-approve is on. */
  void created(SandboxPayment payment) {
    if (config.autoApproveAfter() != null) {
      scheduler.schedule(() -> {
        try {
          approve(payment.id());
        } catch (RuntimeException e) {
          log.warn("Sandbox: auto-approve of {} failed", payment.id(), e);
        }
      }, config.autoApproveAfter().toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** A refund was accepted: pay it back now, then send {@code refund.succeeded}. */
  void refundAccepted(SandboxRefund refund) {
    scheduler.execute(() -> {
      SandboxRefund done = ledger.completeRefund(refund.id());
      webhooks.refundSucceeded(ledger.find(done.paymentId()).orElseThrow(), done);
    });
  }

  /** Waits {@code millis}, or less if the sandbox closes meanwhile. */
  void pause(long millis) {
    if (millis <= 0) {
      return;
    }
    try {
      closing.await(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops serving and sending now. Idempotent. */
  @Override
  public void close() {
    if (closing.getCount() == 0) {
      return;
    }
    closing.countDown();
    server.stop(0);
    shutdownExecutors();
    log.info("Payconic sandbox on {} stopped", baseUrl);
  }

  private void shutdownExecutors() {
    scheduler.shutdownNow();
    httpExecutor.shutdownNow();
    try {
      scheduler.awaitTermination(5, TimeUnit.SECONDS);
      httpExecutor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (ownedClient != null) {
      ownedClient.dispatcher().executorService().shutdown();
      ownedClient.connectionPool().evictAll();
    }
  }

  private static String host(String bindAddress) {
    try {
      InetAddress address = InetAddress.getByName(bindAddress);
      if (address.isAnyLocalAddress()) {
        return "localhost";
      }
      return bindAddress.contains(":") ? "[" + bindAddress + "]" : bindAddress;
    } catch (IOException e) {
      return bindAddress;
    }
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private static ThreadFactory threads(String prefix, boolean daemon) {
    AtomicInteger counter = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + counter.incrementAndGet());
      thread.setDaemon(daemon);
      return thread;
    };
  }
}
