package io.tabletap.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The band a run numbers room events in: the last run's after a clean stop, the next after a crash (decision 0032). */
class ServerRunsTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T01:00:00Z"), ZoneOffset.UTC);

  @TempDir Path dir;

  @Test
  void theFirstRunNumbersInBandZeroAndACleanStopKeepsTheBand() {
    try (Database db = Database.open(dir, 2)) {
      ServerRuns first = ServerRuns.begin(db, CLOCK);
      assertThat(first.band()).isZero();
      first.end();

      ServerRuns second = ServerRuns.begin(db, CLOCK);
      assertThat(second.band()).isZero();
      second.end();
    }
  }

  @Test
  void aRunThatNeverRecordedItsStopMovesTheNextOneToANewBand() {
    try (Database db = Database.open(dir, 2)) {
      ServerRuns.begin(db, CLOCK); // crashed: no end()

      ServerRuns afterCrash = ServerRuns.begin(db, CLOCK);
      assertThat(afterCrash.band()).isEqualTo(1);
      afterCrash.end();

      assertThat(ServerRuns.begin(db, CLOCK).band()).as("clean stop of band 1, crash of the next").isEqualTo(1);
      assertThat(ServerRuns.begin(db, CLOCK).band()).isEqualTo(2);
    }
  }
}
