package io.tabletap.server.bench;

import java.util.Arrays;

/** Nanosecond samples, reported as p50/p99/max in milliseconds. */
final class Latencies {
  private long[] samples = new long[1024];
  private int size;

  synchronized void add(long nanos) {
    if (size == samples.length) {
      samples = Arrays.copyOf(samples, size * 2);
    }
    samples[size++] = nanos;
  }

  synchronized int size() {
    return size;
  }

  synchronized String summary() {
    if (size == 0) {
      return "n=0";
    }
    long[] sorted = Arrays.copyOf(samples, size);
    Arrays.sort(sorted);
    return String.format("n=%d p50=%.2f ms p99=%.2f ms max=%.2f ms", size, ms(sorted[(int) (size * 0.50)]),
        ms(sorted[Math.min(size - 1, (int) (size * 0.99))]), ms(sorted[size - 1]));
  }

  /** The {@code q} quantile in milliseconds; 0 with no samples. */
  synchronized double quantileMs(double q) {
    if (size == 0) {
      return 0;
    }
    long[] sorted = Arrays.copyOf(samples, size);
    Arrays.sort(sorted);
    return ms(sorted[Math.min(size - 1, (int) (size * q))]);
  }

  /** The percentage of samples above {@code nanos}; 0 with no samples. */
  synchronized double percentOver(long nanos) {
    long over = 0;
    for (int i = 0; i < size; i++) {
      if (samples[i] > nanos) {
        over++;
      }
    }
    return size == 0 ? 0 : 100.0 * over / size;
  }

  private static double ms(long nanos) {
    return nanos / 1_000_000.0;
  }
}
