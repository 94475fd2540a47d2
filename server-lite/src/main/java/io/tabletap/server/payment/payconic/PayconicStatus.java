package io.tabletap.server.payment.payconic;

import io.tabletap.server.domain.PaymentStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Payconic's payment statuses and what each means in our {@link PaymentStatus}. */
enum PayconicStatus {
  PENDING("pending", PaymentStatus.PENDING),
  PROCESSING("processing", PaymentStatus.PROCESSING),
  SUCCEEDED("succeeded", PaymentStatus.COMPLETED),
  FAILED("failed", PaymentStatus.FAILED),
  CANCELLED("cancelled", PaymentStatus.CANCELLED),
  EXPIRED("expired", PaymentStatus.EXPIRED);

  private static final Logger log = LoggerFactory.getLogger(PayconicStatus.class);
  final String wire;
  final PaymentStatus domain;

  PayconicStatus(String wire, PaymentStatus domain) {
    this.wire = wire;
    this.domain = domain;
  }

  /**
   * Our status for Payconic's {@code wire} status. A status we do not know (or none) is
   * PROCESSING: still open, so the payment is neither given up nor counted as paid, and a later
   * webhook or verify settles it.
   */
  static PaymentStatus toDomain(String wire) {
    for (PayconicStatus status : values()) {
      if (status.wire.equals(wire)) {
        return status.domain;
      }
    }
    log.warn("Unknown Payconic payment status '{}', taken as PROCESSING", wire);
    return PaymentStatus.PROCESSING;
  }
}
