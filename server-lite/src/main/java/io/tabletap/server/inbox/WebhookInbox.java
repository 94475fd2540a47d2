package io.tabletap.server.inbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tabletap.server.audit.AuditEntry;
import io.tabletap.server.audit.AuditLog;
import io.tabletap.server.audit.AuditTypes;
import io.tabletap.server.domain.Money;
import io.tabletap.server.json.Json;
import io.tabletap.server.queue.DefaultQueues;
import io.tabletap.server.queue.JobSpec;
import io.tabletap.server.queue.JobWriter;
import io.tabletap.server.queue.Queue;
import io.tabletap.server.queue.WebhookPriority;
import io.tabletap.server.webhook.WebhookEvent;
import io.tabletap.server.webhook.WebhookRejectedException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Durable ingestion of verified provider events: each new (provider, eventId) becomes one job on
 * {@code webhook-processing}, committed before the provider gets its 2xx; a repeat delivery finds
 * the first one's job, also after retention removed it (remembered job keys). The job carries the
 * parsed event only, never the raw body or signature.
 */
public final class WebhookInbox {
  public static final String JOB_NAME = "process_webhook";
  /** The event types we act on; others are answered 202 and recorded as ignored. */
  static final Set<String> HANDLED = Set.of("payment.succeeded", "payment.failed", "payment.cancelled", "payment.expired",
      "refund.succeeded", "refund.failed", "transfer.received");

  private static final Logger log = LoggerFactory.getLogger(WebhookInbox.class);

  private final Queue queue;
  private final AuditLog audit;
  private final Clock clock;
  private final RefusalWarnings warnings;

  public WebhookInbox(Queue queue, AuditLog audit, Clock clock) {
    this.queue = queue;
    this.audit = audit;
    this.clock = clock;
    this.warnings = new RefusalWarnings(clock);
  }

  /** What became of a delivery. */
  public record Receipt(UUID webhookId, Status status) {}

  public enum Status {
    /** New: stored and queued for processing. */
    QUEUED,
    /** Seen before: nothing was stored again; {@code webhookId} is the first delivery's. */
    DUPLICATE,
    /** A type we do not act on: recorded, not processed. */
    IGNORED
  }

  /** Takes a verified event in; durable when this returns. */
  public Receipt accept(WebhookEvent event) {
    Instant receivedAt = clock.instant();
    if (!HANDLED.contains(event.eventType())) {
      UUID id = UUID.nameUUIDFromBytes((event.provider() + ":" + event.eventId()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      audit.append(AuditEntry.of(AuditTypes.WEBHOOK_RECEIVED, AuditEntry.provider(event.provider()), id.toString())
          .withReason("ignored: event type " + event.eventType())
          .withDetails(Map.of("eventId", event.eventId(), "eventType", event.eventType()))
          .withDedupeKey("webhook:" + event.provider() + ":" + event.eventId() + ":ignored"));
      return new Receipt(id, Status.IGNORED);
    }
    JobWriter.Added added = queue.add(JobSpec.builder(DefaultQueues.WEBHOOK_PROCESSING, JOB_NAME)
        .jobId(event.provider() + ":" + event.eventId())
        .rememberKey()
        .priority(WebhookPriority.of(event.eventType()))
        .data(toJson(event, receivedAt))
        .build());
    return new Receipt(added.id(), added.created() ? Status.QUEUED : Status.DUPLICATE);
  }

  /** Records a delivery we refused (bad signature, stale, malformed): the reason, never the secret. */
  public void rejected(String provider, WebhookRejectedException reason) {
    audit.append(AuditEntry.of(AuditTypes.WEBHOOK_REJECTED, AuditEntry.provider(provider), provider)
        .withReason(reason.reason())
        .withDetails(Map.of("message", reason.getMessage())));
    warnings.refused(provider, reason.reason()).ifPresent(log::warn);
  }

  static JsonNode toJson(WebhookEvent event, Instant receivedAt) {
    ObjectNode node = Json.mapper().createObjectNode();
    node.put("provider", event.provider());
    node.put("eventId", event.eventId());
    node.put("eventType", event.eventType());
    node.put("transactionId", event.transactionId());
    node.put("orderId", event.orderId());
    if (event.amount() != null) {
      node.put("amount", event.amount().minorUnits());
      node.put("currency", event.amount().currency().getCurrencyCode());
    }
    node.put("payerName", event.payerName());
    node.put("occurredAt", event.occurredAt() == null ? null : event.occurredAt().toString());
    node.put("receivedAt", receivedAt.toString());
    return node;
  }

  static WebhookEvent fromJson(JsonNode node) {
    Money amount = node.hasNonNull("amount") ? Money.of(node.get("amount").asLong(), node.get("currency").asText()) : null;
    return new WebhookEvent(node.get("provider").asText(), node.get("eventId").asText(), node.get("eventType").asText(),
        text(node, "transactionId"), text(node, "orderId"), amount, text(node, "payerName"),
        node.hasNonNull("occurredAt") ? Instant.parse(node.get("occurredAt").asText()) : null);
  }

  private static String text(JsonNode node, String field) {
    return node.hasNonNull(field) ? node.get(field).asText() : null;
  }
}
