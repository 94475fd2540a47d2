package io.tabletap.server.bench;

/** Holds a load generator to its schedule: sleeps while far from the due time, spins when close. */
final class Pacer {
  private Pacer() {}

  static void waitUntil(long dueNanos) throws InterruptedException {
    long wait;
    while ((wait = dueNanos - System.nanoTime()) > 0) {
      if (wait > 200_000) {
        Thread.sleep(0, 100_000); // pacing the load generator, not a test
      } else {
        Thread.onSpinWait();
      }
    }
  }
}
