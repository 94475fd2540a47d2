package io.tabletap.server.payment.qrbank;

import io.tabletap.server.domain.Money;
import java.time.Instant;
import java.util.UUID;

/**
 * A refund of a bank transfer that staff pay out by hand (docs/decisions/0007): the record is
 * the instruction and the audit trail.
 *
 * @param payerName who sent the money, as the bank reported it, to help staff find the customer
 */
public record ManualRefund(
    UUID id, PaymentReference reference, String idempotencyKey, Money amount, String payerName, Instant createdAt) {}
