package io.tabletap.server.payment;

import io.tabletap.server.domain.Money;
import java.time.Instant;

/**
 * The seed's QR response: what the customer display shows for a bank transfer.
 *
 * @param qrCodeId the payment reference
 * @param png the QR image, 256 px
 * @param payload the exact text encoded in the QR
 * @param paymentUrl a page with the same details, for a customer who opens the link on a phone
 */
public record QrCode(
    String qrCodeId, byte[] png, String payload, String paymentUrl, Instant expiresAt, BankDetails bankDetails, Money amount) {

  /** Account name with BSB and account number (Australia), or IBAN and BIC (SEPA). */
  public record BankDetails(String accountName, String bsb, String accountNumber, String iban, String bic, String reference) {}
}
