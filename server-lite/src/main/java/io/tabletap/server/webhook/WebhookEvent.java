package io.tabletap.server.webhook;

import io.tabletap.server.domain.Money;
import java.time.Instant;

/**
 * A verified notification from a provider, parsed from the raw body.
 *
 * @param provider {@code payconic} or {@code bank}
 * @param eventId the provider's id for the event: the deduplication key with {@code provider}
 * @param eventType e.g. {@code payment.succeeded}, {@code refund.succeeded}, {@code transfer.received}
 * @param transactionId Payconic's payment id, or the bank transfer's payment reference
 * @param orderId our order id as the provider echoes it, or null
 * @param amount the amount the event is about, or null
 */
public record WebhookEvent(
    String provider, String eventId, String eventType, String transactionId, String orderId, Money amount,
    String payerName, Instant occurredAt) {}
