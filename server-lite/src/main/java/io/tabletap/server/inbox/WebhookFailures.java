package io.tabletap.server.inbox;

import io.tabletap.server.audit.AuditEntry;
import io.tabletap.server.audit.AuditLog;
import io.tabletap.server.audit.AuditTypes;
import io.tabletap.server.domain.Payment;
import io.tabletap.server.domain.WebhookFailed;
import io.tabletap.server.event.EventBus;
import io.tabletap.server.payment.PaymentStore;
import io.tabletap.server.queue.DefaultQueues;
import io.tabletap.server.queue.JobEvent;
import io.tabletap.server.queue.Queue;
import io.tabletap.server.webhook.WebhookEvent;
import java.util.Map;
import java.util.Optional;

/**
 * When a webhook job fails for good (a dead letter), records it in the audit log and raises a
 * {@link WebhookFailed} for the staff room of the payment's cafe.
 */
public final class WebhookFailures {
  private WebhookFailures() {}

  public static EventBus.Subscription watch(EventBus bus, Queue queue, PaymentStore payments, AuditLog audit) {
    return bus.subscribe(JobEvent.class, event -> {
      if (!JobEvent.FAILED.equals(event.name()) || !DefaultQueues.WEBHOOK_PROCESSING.equals(event.queue())) {
        return;
      }
      Optional<WebhookEvent> webhook = queue.find(event.jobId()).map(job -> WebhookInbox.fromJson(job.data()));
      String provider = webhook.map(WebhookEvent::provider).orElse("unknown");
      audit.record(AuditEntry.of(AuditTypes.WEBHOOK_FAILED, AuditEntry.provider(provider), event.jobId().toString())
          .withReason(event.reason())
          .withDetails(Map.of("attempts", event.attemptsMade()))
          .withDedupeKey("webhook:" + event.jobId() + ":failed:" + event.attemptsMade()));
      String cafe = webhook.flatMap(w -> Optional.ofNullable(w.transactionId()))
          .flatMap(payments::findByTransaction).map(Payment::cafeId).orElse(event.cafeId());
      bus.publish(new WebhookFailed(cafe, event.jobId(), provider, webhook.map(WebhookEvent::eventId).orElse(null),
          webhook.map(WebhookEvent::eventType).orElse(null), event.reason(), event.occurredAt()));
    });
  }
}
