package io.tabletap.server.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TimeOrderedIdsTest {
  private static final Instant AT = Instant.parse("2026-11-26T20:45:00.123Z");

  @Test
  void anIdIsAVersion7UuidCarryingItsMillisecond() {
    UUID id = TimeOrderedIds.next(AT);

    assertThat(id.version()).isEqualTo(7);
    assertThat(id.variant()).isEqualTo(2); // RFC 9562
    assertThat(TimeOrderedIds.madeAt(id)).isEqualTo(AT);
    assertThat(id.toString()).startsWith("01a2199a-b95b-7"); // 1795725900123 ms = 0x01a2199ab95b, then the version
  }

  @Test
  void idsOfLaterMillisecondsSortAfterAsUuidsAndAsText() {
    UUID earlier = TimeOrderedIds.next(AT);
    UUID later = TimeOrderedIds.next(AT.plusMillis(1));

    assertThat(later).isGreaterThan(earlier);
    assertThat(later.toString()).isGreaterThan(earlier.toString()); // room names like order:<id>
  }

  @Test
  void idsOfOneMillisecondAreStillUnguessablyDifferent() {
    Set<UUID> ids = new HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      ids.add(TimeOrderedIds.next(AT));
    }

    assertThat(ids).hasSize(100_000);
  }

  @Test
  void aTimeA48BitMillisecondCountCannotHoldIsRefused() {
    assertThatThrownBy(() -> TimeOrderedIds.next(Instant.ofEpochMilli(-1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TimeOrderedIds.next(Instant.ofEpochMilli(1L << 48))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TimeOrderedIds.madeAt(UUID.randomUUID())).hasMessageContaining("not a version 7");
  }
}
