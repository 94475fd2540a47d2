package io.tabletap.server.payment.qrbank;

import java.math.BigInteger;
import java.util.Locale;
import java.util.Set;

/**
 * Checks and normal forms of bank identifiers. Every method is pure; {@code normalise*} removes
 * spaces (and the BSB's dash) and upper-cases, {@code isValid*} takes the normalised form.
 */
public final class BankIdentifiers {
  private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());
  private static final BigInteger NINETY_SEVEN = BigInteger.valueOf(97);

  private BankIdentifiers() {}

  public static String normaliseIban(String iban) {
    return iban == null ? null : iban.replaceAll("[\\s-]", "").toUpperCase(Locale.ROOT);
  }

  /**
   * An IBAN (ISO 13616): a country code, two check digits, up to 30 letters or digits, 15 to 34
   * characters in all, and the ISO 7064 MOD 97-10 check: moved the first four characters to the
   * end and letters replaced by 10..35, the number leaves remainder 1 when divided by 97.
   */
  public static boolean isValidIban(String iban) {
    if (iban == null || !iban.matches("[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}") || !COUNTRIES.contains(iban.substring(0, 2))) {
      return false;
    }
    String rearranged = iban.substring(4) + iban.substring(0, 4);
    StringBuilder digits = new StringBuilder(rearranged.length() * 2);
    for (char c : rearranged.toCharArray()) {
      digits.append(Character.digit(c, 36));
    }
    return new BigInteger(digits.toString()).mod(NINETY_SEVEN).intValue() == 1;
  }

  public static String normaliseBic(String bic) {
    return bic == null ? null : bic.replaceAll("\\s", "").toUpperCase(Locale.ROOT);
  }

  /**
   * A BIC's shape (ISO 9362): four letters for the institution, a country code, two letters or
   * digits for the location, and optionally three for the branch (8 or 11 characters). A BIC has
   * no check digit; only its shape and country can be checked offline.
   */
  public static boolean isValidBic(String bic) {
    return bic != null && bic.matches("[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?") && COUNTRIES.contains(bic.substring(4, 6));
  }

  /** {@code 062-000} and {@code 062 000} become {@code 062000}. */
  public static String normaliseBsb(String bsb) {
    return bsb == null ? null : bsb.replaceAll("[\\s-]", "");
  }

  /** An Australian BSB: exactly six digits. */
  public static boolean isValidBsb(String bsb) {
    return bsb != null && bsb.matches("[0-9]{6}");
  }

  public static String normaliseAccountNumber(String accountNumber) {
    return accountNumber == null ? null : accountNumber.replaceAll("[\\s-]", "");
  }

  /** An Australian account number: 4 to 10 digits. */
  public static boolean isValidAccountNumber(String accountNumber) {
    return accountNumber != null && accountNumber.matches("[0-9]{4,10}");
  }
}
