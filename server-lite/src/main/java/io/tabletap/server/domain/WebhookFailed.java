package io.tabletap.server.domain;

import java.time.Instant;
import java.util.UUID;

/** A provider notification failed for good after its last attempt: staff must look at it. */
public record WebhookFailed(String cafeId, UUID webhookId, String provider, String eventId, String eventType, String reason,
    Instant occurredAt) implements DomainEvent {
  public static final String NAME = "webhook.failed";

  @Override
  public String name() {
    return NAME;
  }
}
