package io.tabletap.server.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.NumberFormat;
import java.util.Currency;
import java.util.Locale;
import java.util.Objects;

/**
 * An amount of money in minor units (cents) of one ISO 4217 currency.
 *
 * <p>Never a {@code double}: arithmetic is exact on {@code long}; the only rounding is the tax
 * split, which rounds half-even (banker's rounding) so that rounding errors do not drift in
 * one direction over a day of orders. Operations on two amounts of different currencies throw
 * {@link IllegalArgumentException}.
 */
public record Money(long minorUnits, Currency currency) implements Comparable<Money> {

  public Money {
    Objects.requireNonNull(currency, "currency");
  }

  public static Money of(long minorUnits, String currencyCode) {
    return new Money(minorUnits, Currency.getInstance(currencyCode));
  }

  public static Money zero(Currency currency) {
    return new Money(0, currency);
  }

  public Money plus(Money other) {
    requireSameCurrency(other);
    return new Money(Math.addExact(minorUnits, other.minorUnits), currency);
  }

  public Money minus(Money other) {
    requireSameCurrency(other);
    return new Money(Math.subtractExact(minorUnits, other.minorUnits), currency);
  }

  public Money times(long factor) {
    return new Money(Math.multiplyExact(minorUnits, factor), currency);
  }

  public boolean isNegative() {
    return minorUnits < 0;
  }

  public boolean isZero() {
    return minorUnits == 0;
  }

  /**
   * The tax contained in this amount when it is a tax-inclusive price: {@code amount × rate / (1
   * + rate)}, rounded half-even to a minor unit. With 10% GST, 1100 contains 100.
   */
  public Money taxIncluded(TaxRate rate) {
    BigDecimal amount = BigDecimal.valueOf(minorUnits);
    BigDecimal tax =
        amount
            .multiply(BigDecimal.valueOf(rate.basisPoints()))
            .divide(BigDecimal.valueOf(TaxRate.ONE_HUNDRED_PERCENT + rate.basisPoints()), 0, RoundingMode.HALF_EVEN);
    return new Money(tax.longValueExact(), currency);
  }

  /**
   * The tax to add to this amount when it is a tax-exclusive price: {@code amount × rate},
   * rounded half-even to a minor unit.
   */
  public Money taxOnTop(TaxRate rate) {
    BigDecimal tax =
        BigDecimal.valueOf(minorUnits)
            .multiply(BigDecimal.valueOf(rate.basisPoints()))
            .divide(BigDecimal.valueOf(TaxRate.ONE_HUNDRED_PERCENT), 0, RoundingMode.HALF_EVEN);
    return new Money(tax.longValueExact(), currency);
  }

  /** The amount as a decimal in major units, e.g. 450 AUD cents → 4.50. */
  public BigDecimal toMajorUnits() {
    return BigDecimal.valueOf(minorUnits, currency.getDefaultFractionDigits());
  }

  /** For people: "A$4.50" in en-AU, "4,50 €" in de-DE. */
  public String format(Locale locale) {
    NumberFormat format = NumberFormat.getCurrencyInstance(locale);
    format.setCurrency(currency);
    format.setMinimumFractionDigits(currency.getDefaultFractionDigits());
    format.setMaximumFractionDigits(currency.getDefaultFractionDigits());
    return format.format(toMajorUnits());
  }

  @Override
  public int compareTo(Money other) {
    requireSameCurrency(other);
    return Long.compare(minorUnits, other.minorUnits);
  }

  private void requireSameCurrency(Money other) {
    if (!currency.equals(other.currency)) {
      throw new IllegalArgumentException(
          "Currency mismatch: " + currency.getCurrencyCode() + " and " + other.currency.getCurrencyCode());
    }
  }

  /** Plain, locale-independent form for logs and tests: "4.50 AUD". */
  @Override
  public String toString() {
    return toMajorUnits().toPlainString() + " " + currency.getCurrencyCode();
  }
}
