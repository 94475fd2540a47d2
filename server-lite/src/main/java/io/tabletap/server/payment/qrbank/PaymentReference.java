package io.tabletap.server.payment.qrbank;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The reference a customer types into a banking app: {@code TT-7KQ4-M9XC}. Seven random symbols
 * and one check symbol from a 31-symbol alphabet without look-alikes (no 0/O, 1/I/L), in two
 * groups of four after a constant {@code TT-} prefix.
 *
 * <p><b>Check symbol.</b> With the eight symbols' values {@code v0..v7} (position in {@link
 * #ALPHABET}) and weights {@code 8, 7, …, 1}, a reference is valid when {@code Σ (8 − i)·v_i ≡ 0
 * (mod 31)}; {@code v7} is chosen to make it so. Because 31 is prime and every weight is in 1..8:
 *
 * <ul>
 *   <li>any single substitution at position {@code i} changes the sum by {@code (8 − i)·(v' − v)},
 *       a product of two numbers that are not multiples of 31, so never by a multiple of 31;
 *   <li>swapping two different neighbours changes it by {@code (v_{i+1} − v_i)·((8 − i) − (7 −
 *       i)) = v_{i+1} − v_i}, again never a multiple of 31 (this holds for the check symbol too).
 * </ul>
 *
 * So every single-symbol typo and every adjacent transposition is detected (tested exhaustively).
 *
 * <p><b>Uniqueness</b> is not promised by this class: 31⁷ ≈ 2.75·10¹⁰ possible references make a
 * collision rare, and the {@code bank_transfers} primary key refuses the rare one; the gateway
 * then draws again.
 */
public final class PaymentReference {
  /** The symbols, in value order: 8 digits and 23 letters, 31 in all (a prime). */
  public static final String ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
  public static final String PREFIX = "TT";
  static final int RANDOM_SYMBOLS = 7;
  static final int SYMBOLS = RANDOM_SYMBOLS + 1;
  private static final int MODULUS = ALPHABET.length();

  /** How a typed reference fares. */
  public enum Validity {
    VALID,
    /** Wrong length, a symbol outside the alphabet, or a wrong prefix. */
    MALFORMED,
    /** Well-formed but the check symbol does not fit: a typo. */
    CHECK_FAILED
  }

  private final String symbols;

  private PaymentReference(String symbols) {
    this.symbols = symbols;
  }

  /** A fresh reference; {@code random} should be a {@code SecureRandom} outside tests. */
  public static PaymentReference random(RandomGenerator random) {
    StringBuilder body = new StringBuilder(SYMBOLS);
    for (int i = 0; i < RANDOM_SYMBOLS; i++) {
      body.append(ALPHABET.charAt(random.nextInt(MODULUS)));
    }
    body.append(checkSymbol(body));
    return new PaymentReference(body.toString());
  }

  /**
   * The symbol that completes seven symbols into a valid body.
   *
   * @throws IllegalArgumentException if {@code first7} is not seven alphabet symbols
   */
  public static char checkSymbol(CharSequence first7) {
    if (first7.length() != RANDOM_SYMBOLS) {
      throw new IllegalArgumentException("Need " + RANDOM_SYMBOLS + " symbols, got " + first7.length());
    }
    int sum = 0;
    for (int i = 0; i < RANDOM_SYMBOLS; i++) {
      sum += weight(i) * value(first7.charAt(i));
    }
    return ALPHABET.charAt(Math.floorMod(-sum, MODULUS));
  }

  /**
   * Reads what a person or a bank typed, tolerating lower case, spaces, dashes and a missing
   * {@code TT} prefix: {@code "tt 7kq4 m9xc"}, {@code "7KQ4M9XC"}. Inside a longer remittance text
   * ({@code "Order 42 TT-7KQ4-M9XC thanks"}) it finds a {@code TT}-prefixed reference whose check
   * symbol fits. A typo never reads as another valid reference when it is a single substitution
   * or an adjacent transposition.
   */
  public static Optional<PaymentReference> parse(String typed) {
    if (typed == null) {
      return Optional.empty();
    }
    String compact = compact(typed);
    Optional<String> body = body(compact);
    if (body.isPresent()) {
      return checksOut(body.get()) ? Optional.of(new PaymentReference(body.get())) : Optional.empty();
    }
    for (int at = compact.indexOf(PREFIX); at >= 0; at = compact.indexOf(PREFIX, at + 1)) {
      int end = at + PREFIX.length() + SYMBOLS;
      if (end <= compact.length()) {
        String candidate = compact.substring(at + PREFIX.length(), end);
        if (isAlphabet(candidate) && checksOut(candidate)) {
          return Optional.of(new PaymentReference(candidate));
        }
      }
    }
    return Optional.empty();
  }

  /** Why {@link #parse} would refuse {@code typed} (or {@link Validity#VALID} if it would not). */
  public static Validity validate(String typed) {
    if (parse(typed).isPresent()) {
      return Validity.VALID;
    }
    Optional<String> body = typed == null ? Optional.empty() : body(compact(typed));
    return body.isPresent() ? Validity.CHECK_FAILED : Validity.MALFORMED;
  }

  /** The eight symbols without prefix or dashes: {@code 7KQ4M9XC}. */
  public String symbols() {
    return symbols;
  }

  /** The canonical form, as printed and stored: {@code TT-7KQ4-M9XC}. */
  @Override
  public String toString() {
    return PREFIX + "-" + symbols.substring(0, 4) + "-" + symbols.substring(4);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof PaymentReference that && symbols.equals(that.symbols);
  }

  @Override
  public int hashCode() {
    return Objects.hash(symbols);
  }

  /** Upper case, letters and digits only. */
  private static String compact(String typed) {
    StringBuilder out = new StringBuilder(typed.length());
    for (char c : typed.toUpperCase(Locale.ROOT).toCharArray()) {
      if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** The eight symbols if {@code compact} is exactly a reference (with or without prefix). */
  private static Optional<String> body(String compact) {
    String body;
    if (compact.length() == PREFIX.length() + SYMBOLS && compact.startsWith(PREFIX)) {
      body = compact.substring(PREFIX.length());
    } else if (compact.length() == SYMBOLS) {
      body = compact;
    } else {
      return Optional.empty();
    }
    return isAlphabet(body) ? Optional.of(body) : Optional.empty();
  }

  private static boolean isAlphabet(String s) {
    return s.chars().allMatch(c -> ALPHABET.indexOf(c) >= 0);
  }

  private static boolean checksOut(String body) {
    int sum = 0;
    for (int i = 0; i < SYMBOLS; i++) {
      sum += weight(i) * value(body.charAt(i));
    }
    return sum % MODULUS == 0;
  }

  private static int weight(int position) {
    return SYMBOLS - position;
  }

  private static int value(char symbol) {
    int value = ALPHABET.indexOf(symbol);
    if (value < 0) {
      throw new IllegalArgumentException("'" + symbol + "' is not a reference symbol");
    }
    return value;
  }
}
