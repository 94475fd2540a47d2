package io.tabletap.server.sandbox;

import java.time.Duration;

/**
 * When the sandbox tries a webhook again after a failed delivery: {@code initialDelay} before the
 * second attempt, doubling each time up to {@code maxDelay}, at most {@code maxAttempts} attempts
 * in all. The default is 0.5 s, 1 s, 2 s, 4 s … capped at 30 s, ten attempts; tests use
 * milliseconds.
 */
public record Backoff(Duration initialDelay, Duration maxDelay, int maxAttempts) {

  public Backoff {
    if (initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0 || maxAttempts < 1) {
      throw new IllegalArgumentException("Backoff needs 0 <= initialDelay <= maxDelay and maxAttempts >= 1");
    }
  }

  public static Backoff defaults() {
    return new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), 10);
  }

  /** The wait before attempt {@code attempt} (2 or more; the first attempt is immediate). */
  public Duration delayBefore(int attempt) {
    if (attempt <= 1) {
      return Duration.ZERO;
    }
    Duration delay = initialDelay;
    for (int i = 2; i < attempt && delay.compareTo(maxDelay) < 0; i++) {
      delay = delay.multipliedBy(2);
    }
    return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
  }
}
