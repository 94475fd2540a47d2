package io.tabletap.server.payment.qrbank;

import java.util.Arrays;
import java.util.Optional;

/**
 * What the QR code of a bank transfer carries.
 *
 * <ul>
 *   <li>{@link #TABLETAP_JSON}: the seed's JSON (account name, BSB, account number, amount,
 *       reference, description), for Australian accounts in AUD;
 *   <li>{@link #EPC}: the European Payments Council's "SEPA credit transfer" QR (EPC069-12,
 *       {@code BCD} version 002) that European banking apps read, for IBAN and BIC in EUR.
 * </ul>
 */
public enum QrFormat {
  TABLETAP_JSON("tabletap-json"),
  EPC("epc");

  private final String code;

  QrFormat(String code) {
    this.code = code;
  }

  /** The stable name stored in the database and used in settings: {@code tabletap-json}, {@code epc}. */
  public String code() {
    return code;
  }

  public static Optional<QrFormat> fromCode(String code) {
    return Arrays.stream(values()).filter(f -> f.code.equals(code)).findFirst();
  }
}
