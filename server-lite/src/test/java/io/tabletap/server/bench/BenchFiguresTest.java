package io.tabletap.server.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmarks' derived figures: a wrong one would send the next engineer after the wrong stage. */
class BenchFiguresTest {
  private static final long MS = 1_000_000;

  @Test
  void aWebhooksStagesAddUpToWhenItsLastClientHeard() {
    // written 1 ms after due, acknowledged at 4 (of which the handler 0.5), committed at 6, clients at 7 and 9
    long[] stages = TailSplit.stages(1 * MS, 4 * MS, MS / 2, 6 * MS, 7 * MS, 9 * MS);

    assertThat(stages).containsExactly(1 * MS, 2 * MS + MS / 2, MS / 2, 2 * MS, 1 * MS, 2 * MS, 9 * MS);
    long sum = 0;
    for (int s = 0; s < stages.length - 1; s++) {
      sum += stages[s];
    }
    assertThat(sum).isEqualTo(stages[stages.length - 1]);
  }

  @Test
  void aCommitBeforeTheAcknowledgementLeavesNoNegativeStage() {
    long[] stages = TailSplit.stages(0, 5 * MS, MS, 3 * MS, 6 * MS, 6 * MS);

    for (long stage : stages) {
      assertThat(stage).isNotNegative();
    }
  }

  @Test
  void theTailIsTheMeanOfTheSlowestOnly() {
    List<long[]> all = new ArrayList<>();
    for (int i = 1; i <= 99; i++) {
      all.add(TailSplit.stages(0, MS, 0, MS, 2 * MS, 2 * MS)); // 2 ms each
    }
    all.add(TailSplit.stages(10 * MS, 11 * MS, 0, 11 * MS, 12 * MS, 40 * MS)); // the slowest: 40 ms

    String line = TailSplit.of(all, 0.01);

    assertThat(line).startsWith("n=1, 40.00 ms in all:").contains("generator 10.00", "first→last client 28.00");
  }

  @Test
  void wakeUpFiguresCountTheShareOfLateSleeps() {
    Latencies late = new Latencies();
    for (int i = 0; i < 1000; i++) {
      late.add(i < 990 ? MS / 10 : i < 998 ? 3 * MS : 8 * MS); // 8 at 3 ms, 2 at 8 ms
    }

    String summary = WakeUpProbe.summary(late);

    assertThat(summary).startsWith("n=1000 p50=0.10 ms p99=3.00 ms p99.9=8.00 ms max=8.00 ms")
        .endsWith("later than 2 ms 1.00%, than 5 ms 0.20%");
  }
}
