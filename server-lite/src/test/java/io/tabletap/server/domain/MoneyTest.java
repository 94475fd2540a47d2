package io.tabletap.server.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tabletap.server.domain.TaxPolicy.TaxMode;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MoneyTest {
  private static final TaxRate GST = new TaxRate(1000);

  @Test
  void addsAndMultipliesExactlyInMinorUnits() {
    Money flatWhite = Money.of(450, "AUD");
    assertThat(flatWhite.plus(Money.of(70, "AUD")).times(3)).isEqualTo(Money.of(1560, "AUD"));
    assertThat(flatWhite.minus(Money.of(500, "AUD")).isNegative()).isTrue();
  }

  @Test
  void refusesToMixCurrencies() {
    assertThatThrownBy(() -> Money.of(100, "AUD").plus(Money.of(100, "EUR")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("AUD").hasMessageContaining("EUR");
  }

  @Test
  void refusesToOverflowSilently() {
    assertThatThrownBy(() -> Money.of(Long.MAX_VALUE, "AUD").plus(Money.of(1, "AUD"))).isInstanceOf(ArithmeticException.class);
  }

  @ParameterizedTest(name = "{0} cents including 10% GST contain {1} cents of tax")
  @CsvSource({
      "1100, 100",
      "450, 41",      // 40.909… → 41
      "1240, 113",    // 112.727… → 113
      "55, 5",        // 5.0 exactly
      "165, 15",      // exactly 15
      "0, 0",
      "11, 1",        // 1.0 exactly (with 10% inclusive a half can never occur: n/11 is never x.5)
      "-1100, -100"})
  void splitsIncludedTaxRoundingHalfEven(long amount, long tax) {
    assertThat(Money.of(amount, "AUD").taxIncluded(GST).minorUnits()).isEqualTo(tax);
  }

  @ParameterizedTest(name = "{0} cents plus {2} bp tax is {1} cents of tax")
  @CsvSource({
      "1000, 100, 1000",
      "5, 0, 1000",     // 0.5 → 0 (even)
      "15, 2, 1000",    // 1.5 → 2 (even)
      "25, 2, 1000",    // 2.5 → 2 (even)
      "35, 4, 1000",    // 3.5 → 4 (even)
      "999, 75, 750"})  // 74.925 → 75
  void addsExclusiveTaxRoundingHalfEven(long amount, long tax, int basisPoints) {
    assertThat(Money.of(amount, "USD").taxOnTop(new TaxRate(basisPoints)).minorUnits()).isEqualTo(tax);
  }

  @Test
  void inclusivePolicyKeepsTheTotalAndReportsTheTaxInside() {
    TaxPolicy.Totals totals = new TaxPolicy(TaxMode.INCLUSIVE, GST).apply(Money.of(1240, "AUD"));
    assertThat(totals.subtotal()).isEqualTo(Money.of(1240, "AUD"));
    assertThat(totals.tax()).isEqualTo(Money.of(113, "AUD"));
    assertThat(totals.total()).isEqualTo(Money.of(1240, "AUD"));
  }

  @Test
  void exclusivePolicyAddsTheTaxToTheTotal() {
    TaxPolicy.Totals totals = new TaxPolicy(TaxMode.EXCLUSIVE, new TaxRate(875)).apply(Money.of(1000, "USD"));
    assertThat(totals.tax()).isEqualTo(Money.of(88, "USD")); // 87.5 → 88 (even)
    assertThat(totals.total()).isEqualTo(Money.of(1088, "USD"));
  }

  @Test
  void formatsForPeopleInTheirLocale() {
    assertThat(Money.of(450, "AUD").format(Locale.forLanguageTag("en-AU"))).isEqualTo("$4.50");
    assertThat(Money.of(450, "EUR").format(Locale.GERMANY)).isEqualTo("4,50\u00a0€");
    assertThat(Money.of(500, "JPY").format(Locale.JAPAN)).endsWith("500");
    assertThat(Money.of(450, "AUD")).hasToString("4.50 AUD");
  }

  @Test
  void parsesTaxRatesAsPercent() {
    assertThat(TaxRate.ofPercent("10%")).isEqualTo(GST);
    assertThat(TaxRate.ofPercent("7.25").basisPoints()).isEqualTo(725);
    assertThat(new TaxRate(725).asPercent()).isEqualTo("7.25%");
    assertThatThrownBy(() -> new TaxRate(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TaxRate.ofPercent("7.125")).isInstanceOf(ArithmeticException.class);
  }
}
