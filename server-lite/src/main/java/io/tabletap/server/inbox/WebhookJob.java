package io.tabletap.server.inbox;

import io.tabletap.server.audit.AuditEntry;
import io.tabletap.server.audit.AuditLog;
import io.tabletap.server.audit.AuditTypes;
import io.tabletap.server.queue.Job;
import io.tabletap.server.queue.JobContext;
import io.tabletap.server.queue.JobHandler;
import io.tabletap.server.webhook.WebhookEvent;
import java.time.Instant;
import java.util.Map;

/**
 * Processes one queued webhook: the receipt in the audit log, the payment and order change, the
 * result in the audit log. Every step is idempotent (audit rows by dedupe key, payments by their
 * state machines), so a job that runs again after a crash ends in the same state with no extra
 * rows. Progress: 10 received, 50 applied, 100 recorded.
 */
public final class WebhookJob implements JobHandler {
  private final WebhookProcessor processor;
  private final AuditLog audit;

  public WebhookJob(WebhookProcessor processor, AuditLog audit) {
    this.processor = processor;
    this.audit = audit;
  }

  @Override
  public void process(Job job, JobContext ctx) {
    WebhookEvent event = WebhookInbox.fromJson(job.data());
    String actor = AuditEntry.provider(event.provider());
    String subject = job.id().toString();
    Map<String, Object> details = Map.of("eventId", event.eventId(), "eventType", event.eventType(),
        "transactionId", String.valueOf(event.transactionId()));
    audit.append(AuditEntry.of(AuditTypes.WEBHOOK_RECEIVED, actor, subject).withDetails(details)
        .withDedupeKey("webhook:" + subject + ":received").at(Instant.parse(job.data().get("receivedAt").asText())));
    ctx.progress(10);
    String outcome = processor.process(event);
    ctx.progress(50);
    audit.append(AuditEntry.of(AuditTypes.WEBHOOK_PROCESSED, actor, subject).withReason(outcome).withDetails(details)
        .withDedupeKey("webhook:" + subject + ":processed"));
    ctx.progress(100);
  }
}
