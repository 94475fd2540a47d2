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
 * result in the audit log, and the room events all of it causes, in one transaction with the
 * job's completion ({@link #atomic()}): a crash anywhere before the commit leaves nothing of it,
 * and the retry does it all. Every step is idempotent as well (audit rows by dedupe key, payments
 * by their state machines), so a delivery applied by an earlier job changes nothing again. No
 * progress is reported: inside one transaction nobody could see it before the end.
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
    audit.record(AuditEntry.of(AuditTypes.WEBHOOK_RECEIVED, actor, subject).withDetails(details)
        .withDedupeKey("webhook:" + subject + ":received").at(Instant.parse(job.data().get("receivedAt").asText())));
    String outcome = processor.process(event);
    audit.record(AuditEntry.of(AuditTypes.WEBHOOK_PROCESSED, actor, subject).withReason(outcome).withDetails(details)
        .withDedupeKey("webhook:" + subject + ":processed"));
  }

  @Override
  public boolean atomic() {
    return true;
  }
}
