package io.tabletap.server.payment;

import io.tabletap.server.webhook.WebhookEvent;
import io.tabletap.server.domain.Money;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The port every way of paying implements (the seed's {@code PaymentGateway}). Implementations
 * live in one package each ({@code payment.payconic}, {@code payment.qrbank},
 * {@code payment.credit}, {@code payment.cash}) and do not know each other.
 *
 * <p>Calls may block on the network; callers never hold a database transaction across them.
 */
public interface PaymentGateway {

  /**
   * Starts collecting {@code request.amount()}. Calling it again with the same request (same
   * idempotency key) must not collect twice.
   *
   * @throws GatewayException if the gateway could not be reached or refused
   */
  GatewayPayment initiatePayment(PaymentRequest request);

  /** The gateway's current view of a payment it knows as {@code transactionId}. */
  GatewayPayment verifyPayment(String transactionId);

  /**
   * Gives back {@code amount} (all of it when empty) of a captured payment.
   *
   * @param idempotencyKey derived from our refund id, so a retry never refunds twice
   */
  GatewayRefund refundPayment(String transactionId, Optional<Money> amount, String idempotencyKey);

  /**
   * Verifies a notification over its raw bytes and parses it.
   *
   * @throws io.tabletap.server.webhook.WebhookRejectedException if it cannot be trusted
   * @throws UnsupportedOperationException if this gateway receives no webhooks
   */
  default WebhookEvent handleWebhook(byte[] rawBody, Map<String, List<String>> headers) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " receives no webhooks");
  }

  /** A QR code for the customer to pay by, for the gateways that have one. */
  default Optional<QrCode> generateQrCode(PaymentRequest request) {
    return Optional.empty();
  }
}
