package io.tabletap.server.sandbox;

/**
 * The faults in force, with the "next N calls" counters used up one call at a time. Thread-safe.
 */
final class FaultInjector {
  private Faults faults;

  FaultInjector(Faults initial) {
    this.faults = initial;
  }

  synchronized Faults current() {
    return faults;
  }

  synchronized void set(Faults newFaults) {
    faults = newFaults;
  }

  /** True if this call must fail with 500; uses up one of {@code failNext}. */
  synchronized boolean takeFailure() {
    if (faults.failNext() == 0) {
      return false;
    }
    faults = faults.withFailNext(faults.failNext() - 1);
    return true;
  }

  /** How long to hold this call's answer (0: not at all); uses up one of {@code timeoutNext}. */
  synchronized long takeTimeoutHoldMs() {
    if (faults.timeoutNext() == 0) {
      return 0;
    }
    faults = faults.withTimeoutNext(faults.timeoutNext() - 1, faults.timeoutHoldMs());
    return faults.timeoutHoldMs();
  }
}
