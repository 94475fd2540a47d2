package io.tabletap.server.payment;

import io.tabletap.server.domain.Money;
import io.tabletap.server.domain.PaymentMethod;
import java.util.UUID;

/**
 * What a gateway is asked to collect.
 *
 * @param idempotencyKey derived from our payment id: the same payment always sends the same key, so
 *     a retried call never charges twice
 * @param reference what the customer sees on a statement, e.g. "Demo Cafe order 42"
 */
public record PaymentRequest(
    UUID paymentId, UUID orderId, String cafeId, int orderNumber, PaymentMethod method, Money amount,
    String idempotencyKey, String reference, String creditAccountId, String actor) {}
