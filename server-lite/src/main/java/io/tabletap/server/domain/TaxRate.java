package io.tabletap.server.domain;

/** A tax rate in basis points: 1000 = 10%. Whole basis points cover every real rate we know. */
public record TaxRate(int basisPoints) {
  static final int ONE_HUNDRED_PERCENT = 10_000;

  public TaxRate {
    if (basisPoints < 0 || basisPoints > ONE_HUNDRED_PERCENT) {
      throw new IllegalArgumentException("Tax rate must be 0..10000 basis points: " + basisPoints);
    }
  }

  /** Parses "10", "10%" or "7.5%" as percent; at most two decimals. */
  public static TaxRate ofPercent(String percent) {
    String trimmed = percent.trim();
    if (trimmed.endsWith("%")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1).trim();
    }
    java.math.BigDecimal value = new java.math.BigDecimal(trimmed).movePointRight(2);
    return new TaxRate(value.intValueExact());
  }

  public String asPercent() {
    return java.math.BigDecimal.valueOf(basisPoints, 2).stripTrailingZeros().toPlainString() + "%";
  }
}
