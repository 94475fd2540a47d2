package io.tabletap.server.queue;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * How long to wait before retrying a failed attempt, BullMQ-style.
 *
 * <ul>
 *   <li>{@code none}: retry at once;
 *   <li>{@code fixed(d)}: {@code d} after every failure;
 *   <li>{@code exponential(d)}: {@code d × 2^(attemptsMade − 1)}: d, 2d, 4d, …
 * </ul>
 *
 * <p>With jitter {@code j} (0 to 1) the wait is drawn uniformly from {@code [w × (1 − j), w)}
 * where {@code w} is the wait without jitter, so retries of many jobs that failed together spread
 * out instead of arriving together. Immutable.
 *
 * @param type NONE, FIXED or EXPONENTIAL
 * @param delay the base delay (zero for NONE)
 * @param jitter 0 (none) to 1
 */
public record Backoff(Type type, Duration delay, double jitter) {
  /** The longest wait a backoff ever asks for, whatever the attempt. */
  public static final Duration MAX_WAIT = Duration.ofDays(7);

  public enum Type {
    NONE,
    FIXED,
    EXPONENTIAL;

    /** {@code fixed}, {@code exponential} or {@code none}, as in BullMQ's options. */
    public static Type parse(String name) {
      return valueOf(name.toUpperCase(Locale.ROOT));
    }
  }

  public Backoff {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("A backoff delay cannot be negative: " + delay);
    }
    if (!(jitter >= 0 && jitter <= 1)) {
      throw new IllegalArgumentException("Jitter is 0 to 1, not " + jitter);
    }
    if (type == Type.NONE && (!delay.isZero() || jitter != 0)) {
      throw new IllegalArgumentException("No backoff has no delay and no jitter");
    }
  }

  public static Backoff none() {
    return new Backoff(Type.NONE, Duration.ZERO, 0);
  }

  public static Backoff fixed(Duration delay) {
    return new Backoff(Type.FIXED, delay, 0);
  }

  public static Backoff exponential(Duration delay) {
    return new Backoff(Type.EXPONENTIAL, delay, 0);
  }

  /** This backoff with jitter {@code j}, 0 to 1. */
  public Backoff withJitter(double j) {
    return new Backoff(type, delay, j);
  }

  /**
   * The wait before the next attempt, after {@code attemptsMade} attempts (1 or more) failed.
   *
   * @param random a uniform draw from [0, 1); read only when there is jitter
   */
  public Duration delayAfter(int attemptsMade, DoubleSupplier random) {
    if (attemptsMade < 1) {
      throw new IllegalArgumentException("attemptsMade starts at 1, not " + attemptsMade);
    }
    long wait = switch (type) {
      case NONE -> 0;
      case FIXED -> delay.toMillis();
      case EXPONENTIAL -> exponential(delay.toMillis(), attemptsMade);
    };
    wait = Math.min(wait, MAX_WAIT.toMillis());
    if (jitter > 0 && wait > 0) {
      double low = wait * (1 - jitter);
      long drawn = (long) Math.floor(low + random.getAsDouble() * wait * jitter);
      // whole milliseconds in [ceil(low), wait): rounding must not reach either end's wrong side
      wait = Math.max((long) Math.ceil(low), Math.min(drawn, wait - 1));
    }
    return Duration.ofMillis(wait);
  }

  private static long exponential(long base, int attemptsMade) {
    int shift = attemptsMade - 1;
    if (shift >= 62 || base > (Long.MAX_VALUE >> shift)) {
      return Long.MAX_VALUE;
    }
    return base << shift;
  }
}
