package io.tabletap.server.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tabletap.server.config.Secret;
import io.tabletap.server.json.Json;
import io.tabletap.server.webhook.WebhookSignature;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the sandbox's webhooks the way a real provider does: a POST of the event's JSON to the
 * configured URL, signed afresh at each attempt ({@code Payconic-Signature: t=…,v1=…}), tried
 * again after a non-2xx answer or a connection failure with the configured {@link Backoff}, and
 * given up (with a warning) after its last attempt. Deliveries run on the sandbox's scheduler,
 * never on the thread that caused them. The faults {@code duplicateWebhooks}, {@code outOfOrder}
 * and {@code badSignature} act here.
 */
final class WebhookDispatcher {
  static final String SIGNATURE_HEADER = "Payconic-Signature";
  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
  private static final Secret WRONG_SECRET = new Secret("whsec_sandbox_fault_not_your_secret");
  private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);

  private final OkHttpClient http;
  private final SandboxConfig config;
  private final FaultInjector faults;
  private final ScheduledExecutorService scheduler;
  private final Supplier<String> eventIds;
  private final Supplier<String> webhookUrl;

  /**
   * @param http this dispatcher's own client (timeouts set, no silent retries)
   * @param webhookUrl where to send, read at each attempt (null: send nothing)
   */
  WebhookDispatcher(OkHttpClient http, SandboxConfig config, FaultInjector faults, ScheduledExecutorService scheduler,
      Supplier<String> eventIds, Supplier<String> webhookUrl) {
    this.http = http;
    this.config = config;
    this.faults = faults;
    this.scheduler = scheduler;
    this.eventIds = eventIds;
    this.webhookUrl = webhookUrl;
  }

  /** {@code payment.succeeded} or {@code payment.failed} for a payment just decided. */
  void paymentDecided(SandboxPayment payment) {
    boolean succeeded = payment.status().equals(SandboxPayment.SUCCEEDED);
    Faults now = faults.current();
    Event event = event(succeeded ? "payment.succeeded" : "payment.failed", payment, payment.amount().minorUnits(),
        payment.updatedAt(), null);
    CompletableFuture<Void> sent = deliver(event, now);
    if (succeeded && now.outOfOrder()) {
      Event late = event("payment.failed", payment, payment.amount().minorUnits(), payment.updatedAt().minusSeconds(1), null);
      sent.thenRun(() -> deliver(late, now));
    }
  }

  /** {@code refund.succeeded}, with the refund's amount and id. */
  void refundSucceeded(SandboxPayment payment, SandboxRefund refund) {
    deliver(event("refund.succeeded", payment, refund.amount().minorUnits(), config.clock().instant(), refund.id()),
        faults.current());
  }

  private record Event(String id, String type, byte[] body) {}

  private Event event(String type, SandboxPayment payment, long amount, Instant occurredAt, String refundId) {
    String id = eventIds.get();
    ObjectNode json = Json.mapper().createObjectNode();
    json.put("eventId", id);
    json.put("eventType", type);
    json.put("paymentId", payment.id());
    json.put("orderId", payment.request().merchantReference());
    json.put("amount", amount);
    json.put("currency", payment.amount().currency().getCurrencyCode());
    json.put("occurredAt", occurredAt.toString());
    if (refundId != null) {
      json.put("refundId", refundId);
    }
    try {
      return new Event(id, type, Json.mapper().writeValueAsBytes(json));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Completes when the event was delivered (twice, with the duplicate fault) or given up. */
  private CompletableFuture<Void> deliver(Event event, Faults faultsNow) {
    if (webhookUrl.get() == null) {
      log.info("Sandbox: {} {} not sent: no webhook URL", event.type(), event.id());
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> first = new CompletableFuture<>();
    schedule(() -> attempt(event, 1, faultsNow.badSignature(), first), Duration.ZERO, first);
    if (!faultsNow.duplicateWebhooks()) {
      return first;
    }
    return first.thenCompose(ignored -> {
      CompletableFuture<Void> again = new CompletableFuture<>();
      schedule(() -> attempt(event, 1, faultsNow.badSignature(), again), Duration.ZERO, again);
      return again;
    });
  }

  private void attempt(Event event, int attempt, boolean badSignature, CompletableFuture<Void> done) {
    String signature = WebhookSignature.sign(badSignature ? WRONG_SECRET : config.webhookSecret(),
        config.clock().instant().getEpochSecond(), event.body());
    String url = webhookUrl.get();
    if (url == null) {
      done.complete(null);
      return;
    }
    Request request = new Request.Builder().url(url)
        .header(SIGNATURE_HEADER, signature)
        .header("Payconic-Event-Id", event.id())
        .header("Payconic-Delivery-Attempt", Integer.toString(attempt))
        .header("User-Agent", "Payconic-Sandbox/1")
        .post(RequestBody.create(event.body(), JSON))
        .build();
    String outcome;
    try (Response response = http.newCall(request).execute()) {
      if (response.isSuccessful()) {
        log.info("Sandbox: delivered {} {} (attempt {}): {}", event.type(), event.id(), attempt, response.code());
        done.complete(null);
        return;
      }
      outcome = "answered " + response.code();
    } catch (IOException e) {
      outcome = "failed: " + e;
    }
    if (attempt >= config.webhookBackoff().maxAttempts()) {
      log.warn("Sandbox: gave up on {} {} after {} attempts; last {}", event.type(), event.id(), attempt, outcome);
      done.complete(null);
      return;
    }
    Duration delay = config.webhookBackoff().delayBefore(attempt + 1);
    log.info("Sandbox: {} {} attempt {} {}; next in {} ms", event.type(), event.id(), attempt, outcome, delay.toMillis());
    schedule(() -> attempt(event, attempt + 1, badSignature, done), delay, done);
  }

  private void schedule(Runnable task, Duration delay, CompletableFuture<Void> done) {
    try {
      scheduler.schedule(() -> {
        try {
          task.run();
        } catch (RuntimeException e) {
          log.warn("Sandbox: a webhook delivery failed unexpectedly", e);
          done.complete(null);
        }
      }, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      done.complete(null); // the sandbox is closing
    }
  }
}
