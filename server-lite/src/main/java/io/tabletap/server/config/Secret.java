package io.tabletap.server.config;

import java.util.Objects;

/**
 * A secret value (API key, webhook secret) that cannot end up in a log by accident: {@link
 * #toString()} prints a mask. Ask for {@link #reveal()} only where the secret is used.
 */
public final class Secret {
  private final String value;

  public Secret(String value) {
    this.value = Objects.requireNonNull(value, "value");
  }

  public String reveal() {
    return value;
  }

  @Override
  public String toString() {
    return "Secret[****]";
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Secret s && java.security.MessageDigest.isEqual(
        value.getBytes(java.nio.charset.StandardCharsets.UTF_8), s.value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Override
  public int hashCode() {
    return 0;
  }
}
