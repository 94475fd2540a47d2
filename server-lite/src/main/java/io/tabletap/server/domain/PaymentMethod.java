package io.tabletap.server.domain;

/** How a customer pays; {@code payment.PaymentGateways} maps each to the gateway that takes it. */
public enum PaymentMethod {
  PAYCONIC_CARD,
  PAYCONIC_BANK_TRANSFER,
  PAYCONIC_DIGITAL_WALLET,
  QR_CODE_BANK_TRANSFER,
  CUSTOMER_CREDIT,
  CASH;

  public boolean isPayconic() {
    return this == PAYCONIC_CARD || this == PAYCONIC_BANK_TRANSFER || this == PAYCONIC_DIGITAL_WALLET;
  }
}
