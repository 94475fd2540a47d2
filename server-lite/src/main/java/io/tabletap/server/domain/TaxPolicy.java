package io.tabletap.server.domain;

/**
 * How a cafe's menu prices relate to tax. In Australia shelf prices include GST
 * ({@code INCLUSIVE}); in much of North America tax is added at the till ({@code EXCLUSIVE}).
 */
public record TaxPolicy(TaxMode mode, TaxRate rate) {

  public enum TaxMode {
    INCLUSIVE,
    EXCLUSIVE
  }

  /** Splits the sum of line prices into the amounts printed on a receipt. */
  public Totals apply(Money subtotal) {
    return switch (mode) {
      case INCLUSIVE -> new Totals(subtotal, subtotal.taxIncluded(rate), subtotal);
      case EXCLUSIVE -> {
        Money tax = subtotal.taxOnTop(rate);
        yield new Totals(subtotal, tax, subtotal.plus(tax));
      }
    };
  }

  /** Subtotal is the sum of line prices as the menu shows them; total is what the customer pays. */
  public record Totals(Money subtotal, Money tax, Money total) {}
}
