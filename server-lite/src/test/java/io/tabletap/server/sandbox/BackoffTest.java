package io.tabletap.server.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void theDefaultWaitsHalfASecondThenDoublesUpToThirtySeconds() {
    Backoff backoff = Backoff.defaults();

    assertThat(IntStream.rangeClosed(1, 10).mapToObj(backoff::delayBefore).map(Duration::toMillis))
        .containsExactly(0L, 500L, 1000L, 2000L, 4000L, 8000L, 16000L, 30000L, 30000L, 30000L);
    assertThat(backoff.maxAttempts()).isEqualTo(10);
  }

  @Test
  void aVeryLateAttemptStaysAtTheCapWithoutOverflowing() {
    assertThat(Backoff.defaults().delayBefore(10_000)).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void nonsenseIsRefused() {
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 3))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(2), 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
