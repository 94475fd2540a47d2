package io.tabletap.server.payment;

import io.tabletap.server.domain.PaymentMethod;

/**
 * A till's request to pay (part of) an order.
 *
 * @param amount minor units to pay now; null pays what is outstanding
 * @param tendered cash handed over (CASH only, required there)
 * @param creditAccountId the customer's credit account (CUSTOMER_CREDIT only, required there)
 */
public record StartPayment(PaymentMethod method, Long amount, Long tendered, String creditAccountId) {

  /** Whether {@code earlier} is what this request made: a retry rather than a reused key. */
  boolean matches(io.tabletap.server.domain.Payment earlier, java.util.UUID orderId) {
    return earlier.orderId().equals(orderId)
        && earlier.method() == method
        && java.util.Objects.equals(earlier.creditAccountId(), method == PaymentMethod.CUSTOMER_CREDIT ? creditAccountId : null)
        && java.util.Objects.equals(earlier.tendered() == null ? null : earlier.tendered().minorUnits(), tendered)
        && (amount == null || method == PaymentMethod.CASH || earlier.amount().minorUnits() == amount);
  }
}
