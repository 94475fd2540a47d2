package io.tabletap.server.payment;

import io.tabletap.server.domain.Money;
import io.tabletap.server.domain.PaymentStatus;

/**
 * A gateway's view of a payment, as returned by {@code initiatePayment} and {@code verifyPayment}.
 *
 * @param transactionId the gateway's id for it (Payconic's payment id, the QR reference, the ledger
 *     entry id)
 * @param status PENDING, PROCESSING, COMPLETED, FAILED, CANCELLED or EXPIRED
 * @param redirectUrl where the customer completes it (Payconic's hosted page, the QR pay page), or null
 * @param capturedAmount what the gateway captured, when it knows (may differ from the request for a
 *     bank transfer), or null
 * @param message the provider's reason on failure, or null
 */
public record GatewayPayment(String transactionId, PaymentStatus status, String redirectUrl, Money capturedAmount, String message) {}
