package io.tabletap.server.bench;

import java.util.concurrent.locks.LockSupport;

/** Holds a load generator to its schedule: sleeps while far from the due time, spins when close. */
final class Pacer {
  private Pacer() {}

  /** One step of a fixed rate: the {@code k}th, due at {@code dueNanos} ({@link System#nanoTime()}). */
  interface Step {
    void run(int k, long dueNanos);
  }

  /**
   * Runs {@code total} steps {@code perSecond} apart from {@code startNanos}, each at its due time
   * (or as soon after as it can): the benchmarks' fixed rates.
   */
  static void fixedRate(long startNanos, int perSecond, int total, Step step) throws InterruptedException {
    long interval = 1_000_000_000L / perSecond;
    for (int k = 0; k < total; k++) {
      long due = startNanos + k * interval;
      waitUntil(due);
      step.run(k, due);
    }
  }

  static void waitUntil(long dueNanos) throws InterruptedException {
    long wait;
    while ((wait = dueNanos - System.nanoTime()) > 0) {
      if (wait > 200_000) {
        // pacing the load generator, not a test; parkNanos, as Thread.sleep(0, n) sleeps a whole
        // millisecond (JDK 17) and so overshot due times by up to 0.8 ms (measured: lag p50 0.5 ms)
        LockSupport.parkNanos(wait - 150_000);
        if (Thread.interrupted()) {
          throw new InterruptedException();
        }
      } else {
        Thread.onSpinWait();
      }
    }
  }
}
