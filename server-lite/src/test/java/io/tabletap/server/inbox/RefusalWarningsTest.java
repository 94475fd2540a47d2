package io.tabletap.server.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.tabletap.server.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RefusalWarningsTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T08:00:00Z"));
  private final RefusalWarnings warnings = new RefusalWarnings(clock);

  @Test
  void theFirstRefusalIsToldAtOnceAndTheRestOnceAMinuteWithTheirCount() {
    assertThat(warnings.refused("payconic", "bad_signature")).hasValueSatisfying(line -> assertThat(line)
        .startsWith("Refused a payconic webhook (bad_signature). If every delivery is refused")
        .contains("webhook.rejected"));
    for (int i = 0; i < 5; i++) {
      clock.advance(Duration.ofSeconds(10));
      assertThat(warnings.refused("payconic", "bad_signature")).isEmpty();
    }

    clock.advance(Duration.ofSeconds(10)); // a minute after the first line

    assertThat(warnings.refused("payconic", "bad_signature")).hasValueSatisfying(line -> assertThat(line)
        .startsWith("Refused a payconic webhook (bad_signature); 5 more refused for that reason"));
    assertThat(warnings.refused("payconic", "bad_signature")).isEmpty();
  }

  @Test
  void eachProviderAndReasonHasItsOwnMinute() {
    assertThat(warnings.refused("payconic", "bad_signature")).isPresent();

    assertThat(warnings.refused("payconic", "stale_timestamp")).isPresent();
    assertThat(warnings.refused("bank", "bad_signature")).isPresent();
    assertThat(warnings.refused("payconic", "bad_signature")).isEmpty();
  }
}
