package io.tabletap.server.payment.qrbank;

import java.util.Objects;

/**
 * The account a customer pays into: either Australian ({@code bsb} and {@code accountNumber}) or
 * SEPA ({@code iban} and {@code bic}); the other pair is null. Values are stored normalised: BSB
 * as six digits, IBAN and BIC in upper case without spaces. {@link BankSettingsService} checks
 * them; this record only holds them.
 */
public record BankAccount(String accountName, String bsb, String accountNumber, String iban, String bic) {

  public BankAccount {
    Objects.requireNonNull(accountName, "accountName");
  }

  public static BankAccount australian(String accountName, String bsb, String accountNumber) {
    return new BankAccount(accountName, bsb, accountNumber, null, null);
  }

  public static BankAccount sepa(String accountName, String iban, String bic) {
    return new BankAccount(accountName, null, null, iban, bic);
  }

  public boolean isAustralian() {
    return bsb != null || accountNumber != null;
  }

  public boolean isSepa() {
    return iban != null || bic != null;
  }

  /** The BSB as printed for people: {@code 062-000}. */
  public String bsbForDisplay() {
    return bsb == null || bsb.length() != 6 ? bsb : bsb.substring(0, 3) + "-" + bsb.substring(3);
  }

  /** The IBAN in groups of four, as printed for people: {@code DE89 3704 0044 0532 0130 00}. */
  public String ibanForDisplay() {
    return iban == null ? null : iban.replaceAll("(.{4})(?!$)", "$1 ");
  }
}
