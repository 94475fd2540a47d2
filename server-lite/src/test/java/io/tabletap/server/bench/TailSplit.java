package io.tabletap.server.bench;

import java.util.Comparator;
import java.util.List;

/**
 * Where the slowest webhooks of a run spent their time: the mean of each stage over the slowest
 * fraction (by the last client to hear of them). Percentiles of stages do not add up; these means do.
 */
final class TailSplit {
  private static final String[] NAMES = {"generator", "HTTP wait", "handler", "ack→commit", "commit→first client",
      "first→last client"};

  private TailSplit() {}

  /**
   * One webhook's stages in nanoseconds, from the times (relative to when it was due) its request
   * was written, it was acknowledged, it committed, and its first and last client heard of it;
   * {@code handled} is the server's own time for the request (-1 if unknown).
   */
  static long[] stages(long written, long acked, long handled, long committed, long firstClient, long lastClient) {
    long handler = Math.max(0, handled);
    // the commit may come before the 2xx arrives; the stage is then 0 and the 2xx's lateness is in "HTTP wait"
    return new long[] {written, acked - written - handler, handler, Math.max(0, committed - acked), firstClient - Math.max(committed, 0),
        lastClient - firstClient, lastClient};
  }

  /** The mean stages of the slowest {@code fraction} of {@code all}, as a line of text. */
  static String of(List<long[]> all, double fraction) {
    if (all.isEmpty()) {
      return "n=0";
    }
    List<long[]> slowest = all.stream().sorted(Comparator.comparingLong((long[] s) -> s[NAMES.length]).reversed())
        .limit(Math.max(1, Math.round(all.size() * fraction))).toList();
    StringBuilder line = new StringBuilder(String.format("n=%d, %.2f ms in all:", slowest.size(), mean(slowest, NAMES.length)));
    for (int s = 0; s < NAMES.length; s++) {
      line.append(String.format(" %s %.2f", NAMES[s], mean(slowest, s)));
    }
    return line.toString();
  }

  private static double mean(List<long[]> rows, int stage) {
    return rows.stream().mapToLong(r -> r[stage]).average().orElse(0) / 1e6;
  }
}
