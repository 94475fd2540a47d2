package io.tabletap.server.payment.qrbank;

import static org.assertj.core.api.Assertions.assertThat;

import io.tabletap.server.payment.qrbank.PaymentReference.Validity;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PaymentReferenceTest {
  private static final String ALPHABET = PaymentReference.ALPHABET;

  @Test
  void theAlphabetHasThirtyOneSymbolsAndNoLookAlikes() {
    assertThat(ALPHABET).hasSize(31);
    assertThat(BigInteger.valueOf(ALPHABET.length()).isProbablePrime(50)).isTrue();
    assertThat(ALPHABET).doesNotContain("0", "O", "1", "I", "L");
    assertThat(ALPHABET.chars().distinct().count()).isEqualTo(31);
  }

  @Test
  void aHundredThousandDrawsAreWellFormedAndPassTheirOwnCheck() {
    SecureRandom random = new SecureRandom();
    for (int i = 0; i < 100_000; i++) {
      PaymentReference reference = PaymentReference.random(random);
      String printed = reference.toString();
      assertThat(printed).matches("TT-[" + ALPHABET + "]{4}-[" + ALPHABET + "]{4}");
      assertThat(PaymentReference.parse(printed)).contains(reference);
    }
  }

  @Test
  void everySingleSubstitutionAtEveryPositionBetweenEveryPairOfSymbolsIsDetected() {
    // The check is linear, so one context per position covers all contexts; this tries every
    // position (the check symbol included) and every ordered pair of distinct symbols.
    int tried = 0;
    for (int position = 0; position < 8; position++) {
      for (char original : ALPHABET.toCharArray()) {
        String valid = validWith(position, original);
        for (char typo : ALPHABET.toCharArray()) {
          if (typo == original) {
            continue;
          }
          String mistyped = replace(valid, position, typo);
          assertThat(PaymentReference.validate(mistyped)).as("%s typed as %s", valid, mistyped).isEqualTo(Validity.CHECK_FAILED);
          tried++;
        }
      }
    }
    assertThat(tried).isEqualTo(8 * 31 * 30);
  }

  @Test
  void everyAdjacentTranspositionOfTwoDifferentSymbolsIsDetected() {
    int tried = 0;
    for (int position = 0; position < 7; position++) {
      for (char a : ALPHABET.toCharArray()) {
        for (char b : ALPHABET.toCharArray()) {
          if (a == b) {
            continue;
          }
          String valid = validWith(position, a, b);
          String swapped = replace(replace(valid, position, b), position + 1, a);
          assertThat(PaymentReference.validate(swapped)).as("%s typed as %s", valid, swapped).isEqualTo(Validity.CHECK_FAILED);
          tried++;
        }
      }
    }
    assertThat(tried).isEqualTo(7 * 31 * 30);
  }

  @Test
  void everyTypoAndTranspositionOfAThousandSampleReferencesIsDetected() {
    SplittableRandom random = new SplittableRandom(7);
    String typable = ALPHABET + "01ILO";
    for (int i = 0; i < 1000; i++) {
      String body = PaymentReference.random(random).symbols();
      for (int position = 0; position < 8; position++) {
        for (char typo : typable.toCharArray()) {
          if (typo != body.charAt(position)) {
            assertThat(PaymentReference.parse("TT-" + replace(body, position, typo))).isEmpty();
          }
        }
        if (position < 7 && body.charAt(position) != body.charAt(position + 1)) {
          String swapped = replace(replace(body, position, body.charAt(position + 1)), position + 1, body.charAt(position));
          assertThat(PaymentReference.parse(swapped)).as("%s swapped to %s", body, swapped).isEmpty();
        }
      }
    }
  }

  @Test
  void readsLowerCaseSpacesAndMissingDashesOrPrefix() {
    PaymentReference reference = PaymentReference.random(new SplittableRandom(1));
    String s = reference.symbols();
    List<String> typings = new ArrayList<>(List.of(
        reference.toString(),
        reference.toString().toLowerCase(),
        "TT" + s,
        s,
        s.toLowerCase(),
        "tt " + s.substring(0, 4) + " " + s.substring(4),
        " TT-" + s.substring(0, 4) + "- " + s.substring(4) + " "));
    for (String typed : typings) {
      assertThat(PaymentReference.parse(typed)).as(typed).contains(reference);
    }
  }

  @Test
  void findsAReferenceInsideALongerRemittanceText() {
    PaymentReference reference = PaymentReference.random(new SplittableRandom(2));
    assertThat(PaymentReference.parse("Order 42 " + reference + " thanks")).contains(reference);
    assertThat(PaymentReference.parse("coffee " + reference.toString().toLowerCase())).contains(reference);
  }

  @Test
  void saysWhetherARefusedReferenceIsMalformedOrFailsItsCheck() {
    PaymentReference reference = PaymentReference.random(new SplittableRandom(3));
    String typo = replace(reference.symbols(), 2, reference.symbols().charAt(2) == 'A' ? 'B' : 'A');
    assertThat(PaymentReference.validate(reference.toString())).isEqualTo(Validity.VALID);
    assertThat(PaymentReference.validate("TT-" + typo)).isEqualTo(Validity.CHECK_FAILED);
    assertThat(PaymentReference.validate("TT-0000-0000")).isEqualTo(Validity.MALFORMED);
    assertThat(PaymentReference.validate("TT-ABC")).isEqualTo(Validity.MALFORMED);
    assertThat(PaymentReference.validate("XY" + reference.symbols())).isEqualTo(Validity.MALFORMED);
    assertThat(PaymentReference.validate("")).isEqualTo(Validity.MALFORMED);
    assertThat(PaymentReference.validate(null)).isEqualTo(Validity.MALFORMED);
    assertThat(PaymentReference.parse("TT-" + typo)).isEqualTo(Optional.empty());
  }

  /** A valid body with {@code symbol} at {@code position} (the check symbol when position is 7). */
  private static String validWith(int position, char symbol) {
    for (char filler : ALPHABET.toCharArray()) {
      StringBuilder first7 = new StringBuilder("AB3C4D5".replace('A', filler));
      if (position < 7) {
        first7.setCharAt(position, symbol);
        return first7.toString() + PaymentReference.checkSymbol(first7);
      }
      if (PaymentReference.checkSymbol(first7) == symbol) {
        return first7.toString() + symbol;
      }
    }
    throw new AssertionError("No body ends in " + symbol);
  }

  /** A valid body with {@code a} at {@code position} and {@code b} right after it (b may be the check symbol). */
  private static String validWith(int position, char a, char b) {
    if (position + 1 < 7) {
      StringBuilder first7 = new StringBuilder("AB3C4D5");
      first7.setCharAt(position, a);
      first7.setCharAt(position + 1, b);
      return first7.toString() + PaymentReference.checkSymbol(first7);
    }
    for (char filler : ALPHABET.toCharArray()) {
      StringBuilder first7 = new StringBuilder("AB3C4D" + a);
      first7.setCharAt(0, filler);
      if (PaymentReference.checkSymbol(first7) == b) {
        return first7.toString() + b;
      }
    }
    throw new AssertionError("No body ends in " + a + b);
  }

  private static String replace(String s, int position, char c) {
    return s.substring(0, position) + c + s.substring(position + 1);
  }
}
