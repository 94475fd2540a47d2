package io.tabletap.server.payment;

import io.tabletap.server.domain.PaymentMethod;

/** A method this server does not take (not configured, or switched off for the cafe). */
public final class UnsupportedPaymentMethodException extends RuntimeException {
  public UnsupportedPaymentMethodException(PaymentMethod method) {
    super("Payment method " + method + " is not available here");
  }
}
