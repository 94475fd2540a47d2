package io.tabletap.server.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private static final Duration TWO_SECONDS = Duration.ofMillis(2000);

  private static List<Long> schedule(Backoff backoff, int attempts, double random) {
    List<Long> waits = new ArrayList<>();
    IntStream.rangeClosed(1, attempts).forEach(made -> waits.add(backoff.delayAfter(made, () -> random).toMillis()));
    return waits;
  }

  @Test
  void fixedBackoffWaitsTheSameAfterEveryFailure() {
    assertThat(schedule(Backoff.fixed(Duration.ofMillis(1000)), 4, 0.3)).containsExactly(1000L, 1000L, 1000L, 1000L);
  }

  @Test
  void exponentialBackoffDoublesFromTheBaseDelay() {
    assertThat(schedule(Backoff.exponential(TWO_SECONDS), 5, 0.3)).containsExactly(2000L, 4000L, 8000L, 16000L, 32000L);
  }

  @Test
  void noBackoffRetriesAtOnce() {
    assertThat(schedule(Backoff.none(), 3, 0.3)).containsExactly(0L, 0L, 0L);
  }

  @Test
  void jitterDrawsBetweenTheReducedAndTheFullWait() {
    Backoff jittery = Backoff.exponential(TWO_SECONDS).withJitter(0.5);

    // attempt 3: the full wait is 8 s; with jitter 0.5 it lies in [4 s, 8 s)
    assertThat(jittery.delayAfter(3, () -> 0.0)).isEqualTo(Duration.ofMillis(4000));
    assertThat(jittery.delayAfter(3, () -> 0.5)).isEqualTo(Duration.ofMillis(6000));
    assertThat(jittery.delayAfter(3, () -> Math.nextDown(1.0))).isLessThan(Duration.ofMillis(8000))
        .isGreaterThanOrEqualTo(Duration.ofMillis(7999));
    java.util.Random random = new java.util.Random(42);
    for (int i = 0; i < 10_000; i++) {
      assertThat(jittery.delayAfter(3, random::nextDouble)).isBetween(Duration.ofMillis(4000), Duration.ofMillis(7999));
    }
  }

  @Test
  void fullJitterMayRetryAtOnceButNeverLaterThanTheWait() {
    Backoff full = Backoff.fixed(Duration.ofMillis(1000)).withJitter(1.0);

    assertThat(full.delayAfter(1, () -> 0.0)).isZero();
    assertThat(full.delayAfter(1, () -> Math.nextDown(1.0))).isLessThan(Duration.ofMillis(1000));
  }

  @Test
  void aHugeAttemptCountIsCappedInsteadOfOverflowing() {
    assertThat(Backoff.exponential(TWO_SECONDS).delayAfter(80, () -> 0.5)).isEqualTo(Backoff.MAX_WAIT);
  }

  @Test
  void nonsenseSettingsAreRefused() {
    assertThatThrownBy(() -> Backoff.fixed(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Backoff.fixed(TWO_SECONDS).withJitter(1.5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Backoff.exponential(TWO_SECONDS).delayAfter(0, () -> 0.5))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Backoff.Type.parse("exponential")).isEqualTo(Backoff.Type.EXPONENTIAL);
  }
}
