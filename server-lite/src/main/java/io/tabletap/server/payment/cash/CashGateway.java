package io.tabletap.server.payment.cash;

import io.tabletap.server.domain.Money;
import io.tabletap.server.domain.PaymentStatus;
import io.tabletap.server.payment.GatewayPayment;
import io.tabletap.server.payment.GatewayRefund;
import io.tabletap.server.payment.PaymentGateway;
import io.tabletap.server.payment.PaymentRequest;
import java.util.Optional;

/**
 * Cash in the drawer: captured the moment the cashier takes it. Tendered amount, change and the
 * rounding of cash totals to the smallest coin are worked out by the payment service before this
 * gateway is called; a refund is cash handed back over the counter.
 */
public final class CashGateway implements PaymentGateway {
  private static final String PREFIX = "cash-";

  @Override
  public GatewayPayment initiatePayment(PaymentRequest request) {
    return new GatewayPayment(PREFIX + request.paymentId(), PaymentStatus.COMPLETED, null, request.amount(), null);
  }

  @Override
  public GatewayPayment verifyPayment(String transactionId) {
    return new GatewayPayment(transactionId, PaymentStatus.COMPLETED, null, null, null);
  }

  @Override
  public GatewayRefund refundPayment(String transactionId, Optional<Money> amount, String idempotencyKey) {
    return new GatewayRefund(PREFIX + "refund-" + idempotencyKey, true);
  }
}
