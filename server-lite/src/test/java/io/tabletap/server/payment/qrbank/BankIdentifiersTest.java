package io.tabletap.server.payment.qrbank;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BankIdentifiersTest {

  @Test
  void acceptsIbansWhoseMod97CheckFits() {
    for (String iban : new String[] {"DE89 3704 0044 0532 0130 00", "GB82WEST12345698765432", "NL91ABNA0417164300",
        "FR1420041010050500013M02606", "be68 5390 0754 7034"}) {
      assertThat(BankIdentifiers.isValidIban(BankIdentifiers.normaliseIban(iban))).as(iban).isTrue();
    }
  }

  @Test
  void refusesAnIbanWithATypoATranspositionOrABadShape() {
    assertThat(BankIdentifiers.isValidIban("DE89370400440532013001")).isFalse(); // last digit
    assertThat(BankIdentifiers.isValidIban("DE89370400440532031000")).isFalse(); // 13 → 31
    assertThat(BankIdentifiers.isValidIban("DE8937040044053201300")).isFalse(); // a digit dropped
    assertThat(BankIdentifiers.isValidIban("XX89370400440532013000")).isFalse(); // no such country
    assertThat(BankIdentifiers.isValidIban("DE8937")).isFalse();
    assertThat(BankIdentifiers.isValidIban("DE89 3704 0044 0532 0130 00")).isFalse(); // not normalised
    assertThat(BankIdentifiers.isValidIban(null)).isFalse();
  }

  @Test
  void acceptsEightAndElevenCharacterBicsOfAKnownCountry() {
    assertThat(BankIdentifiers.isValidBic("DEUTDEFF")).isTrue();
    assertThat(BankIdentifiers.isValidBic("DEUTDEFF500")).isTrue();
    assertThat(BankIdentifiers.isValidBic(BankIdentifiers.normaliseBic("cobadeffxxx"))).isTrue();
    assertThat(BankIdentifiers.isValidBic("DEUTDEF")).isFalse();
    assertThat(BankIdentifiers.isValidBic("DEUTDEFF50")).isFalse();
    assertThat(BankIdentifiers.isValidBic("DEU1DEFF")).isFalse();
    assertThat(BankIdentifiers.isValidBic("DEUTQQFF")).isFalse();
  }

  @Test
  void aBsbIsSixDigitsWithOrWithoutItsDash() {
    assertThat(BankIdentifiers.isValidBsb(BankIdentifiers.normaliseBsb("062-000"))).isTrue();
    assertThat(BankIdentifiers.isValidBsb(BankIdentifiers.normaliseBsb("062 000"))).isTrue();
    assertThat(BankIdentifiers.isValidBsb("06200")).isFalse();
    assertThat(BankIdentifiers.isValidBsb("0620001")).isFalse();
    assertThat(BankIdentifiers.isValidBsb("06A000")).isFalse();
  }
}
