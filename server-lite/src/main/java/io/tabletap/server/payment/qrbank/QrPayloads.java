package io.tabletap.server.payment.qrbank;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tabletap.server.domain.Money;
import io.tabletap.server.json.Json;
import java.math.BigDecimal;
import java.math.RoundingMode;

/** The text inside a transfer's QR code, in the transfer's {@link QrFormat}. Pure functions. */
public final class QrPayloads {
  static final int EPC_MAX_NAME = 70;
  static final int EPC_MAX_REMITTANCE = 140;
  private static final BigDecimal EPC_MAX_AMOUNT = new BigDecimal("999999999.99");

  private QrPayloads() {}

  /**
   * The payload for {@code transfer}.
   *
   * @throws IllegalArgumentException if the transfer's account or currency does not fit its format
   */
  public static String forTransfer(BankTransfer transfer) {
    return forTransfer(transfer, transfer.amount());
  }

  /** The payload for {@code transfer} asking for {@code amount} (what is still to pay after a part). */
  public static String forTransfer(BankTransfer transfer, Money amount) {
    return switch (transfer.format()) {
      case TABLETAP_JSON -> tabletapJson(transfer.account(), amount, transfer.reference(), transfer.description());
      case EPC -> epc(transfer.account(), amount, transfer.reference());
    };
  }

  /**
   * The seed's JSON, on one line, fields in this order: {@code paymentMethod} ("bank_transfer"),
   * {@code accountName}, {@code accountNumber}, {@code bsb} (six digits), {@code amount} (major
   * units as a string, "12.40"), {@code reference}, {@code description}.
   *
   * @throws IllegalArgumentException if the account is not Australian or the amount not in AUD
   */
  public static String tabletapJson(BankAccount account, Money amount, PaymentReference reference, String description) {
    if (account.bsb() == null || account.accountNumber() == null) {
      throw new IllegalArgumentException("tabletap-json needs a BSB and account number");
    }
    if (!amount.currency().getCurrencyCode().equals("AUD")) {
      throw new IllegalArgumentException("tabletap-json is for AUD, not " + amount.currency().getCurrencyCode());
    }
    ObjectNode json = Json.mapper().createObjectNode();
    json.put("paymentMethod", "bank_transfer");
    json.put("accountName", account.accountName());
    json.put("accountNumber", account.accountNumber());
    json.put("bsb", account.bsb());
    json.put("amount", amount.toMajorUnits().toPlainString());
    json.put("reference", reference.toString());
    json.put("description", description);
    try {
      return Json.mapper().writeValueAsString(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("A JSON tree always serialises", e);
    }
  }

  /**
   * An EPC069-12 "SEPA credit transfer" QR payload, version 002, UTF-8 (character set 1), lines
   * joined by {@code \n}: {@code BCD}, {@code 002}, {@code 1}, {@code SCT}, BIC, beneficiary name
   * (max 70), IBAN, {@code EUR} + amount with two decimals, purpose (empty), structured creditor
   * reference (empty), unstructured remittance text: our reference.
   *
   * @throws IllegalArgumentException if the currency is not EUR (EPC is euro only), the account is
   *     not IBAN and BIC, the name is too long, or the amount is outside 0.01..999999999.99
   */
  public static String epc(BankAccount account, Money amount, PaymentReference reference) {
    if (!amount.currency().getCurrencyCode().equals("EUR")) {
      throw new IllegalArgumentException("EPC QR codes are for EUR only, not " + amount.currency().getCurrencyCode());
    }
    if (account.iban() == null || account.bic() == null) {
      throw new IllegalArgumentException("EPC QR codes need an IBAN and BIC");
    }
    String name = account.accountName();
    if (name.codePointCount(0, name.length()) > EPC_MAX_NAME || name.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException("EPC beneficiary names are one line of at most " + EPC_MAX_NAME + " characters");
    }
    BigDecimal euros = amount.toMajorUnits().setScale(2, RoundingMode.UNNECESSARY);
    if (euros.signum() <= 0 || euros.compareTo(EPC_MAX_AMOUNT) > 0) {
      throw new IllegalArgumentException("EPC amounts are 0.01 to 999999999.99 EUR");
    }
    String remittance = reference.toString();
    return String.join("\n",
        "BCD",
        "002",
        "1",
        "SCT",
        account.bic(),
        name,
        account.iban(),
        "EUR" + euros.toPlainString(),
        "",
        "",
        remittance);
  }
}
