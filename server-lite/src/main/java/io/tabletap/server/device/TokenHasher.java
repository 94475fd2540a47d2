package io.tabletap.server.device;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Makes and hashes device tokens. A token is 256 random bits; it is stored only as its SHA-256.
 * A plain hash (not bcrypt) is enough for a random secret this long: nothing to brute-force, and
 * every request can be checked in microseconds. See docs/decisions/0005-device-tokens.md.
 */
public final class TokenHasher {
  static final String PREFIX = "tt_";
  private static final int TOKEN_BYTES = 32;

  private final SecureRandom random;

  public TokenHasher(SecureRandom random) {
    this.random = random;
  }

  public String newToken() {
    byte[] bytes = new byte[TOKEN_BYTES];
    random.nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  public static String hash(String token) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
