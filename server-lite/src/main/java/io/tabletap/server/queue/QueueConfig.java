package io.tabletap.server.queue;

import java.time.Duration;
import java.util.Objects;

/**
 * One named queue: its job defaults and how its workers behave. Immutable; build with
 * {@link #builder(String)}, whose defaults are BullMQ's.
 *
 * @param name the queue's stable name, e.g. {@code payment-processing}
 * @param defaults options for jobs that do not set their own
 * @param concurrency how many jobs of this queue run at once in the threaded mode (default 1)
 * @param lease how long a claim holds a job; the worker renews it every third of that while the
 *     handler runs (BullMQ's {@code lockDuration}, default 30 s)
 * @param stalledInterval how often the stalled check runs in the threaded mode (default 30 s)
 * @param maxStalledCount how many stalls a job survives; the next one fails it with reason
 *     "stalled" (default 1)
 * @param pollInterval how long an idle worker waits before looking again when nobody wakes it
 *     (default 1 s); adds in this process wake it at once
 * @param retryProcessDelay how long a worker waits after the database failed it (default 5 s)
 */
public record QueueConfig(
    String name, JobDefaults defaults, int concurrency, Duration lease, Duration stalledInterval, int maxStalledCount,
    Duration pollInterval, Duration retryProcessDelay) {

  public QueueConfig {
    JobSpec.builder(name, "check").build(); // the same rules as for a job's queue name
    Objects.requireNonNull(defaults, "defaults");
    if (concurrency < 1 || concurrency > 64) {
      throw new IllegalArgumentException("concurrency is 1 to 64, not " + concurrency);
    }
    positive("lease", lease);
    positive("stalledInterval", stalledInterval);
    positive("pollInterval", pollInterval);
    positive("retryProcessDelay", retryProcessDelay);
    if (maxStalledCount < 0) {
      throw new IllegalArgumentException("maxStalledCount is 0 or more, not " + maxStalledCount);
    }
  }

  private static void positive(String what, Duration value) {
    if (value == null || value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(what + " must be positive, not " + value);
    }
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  public Builder toBuilder() {
    Builder b = new Builder(name);
    b.defaults = defaults;
    b.concurrency = concurrency;
    b.lease = lease;
    b.stalledInterval = stalledInterval;
    b.maxStalledCount = maxStalledCount;
    b.pollInterval = pollInterval;
    b.retryProcessDelay = retryProcessDelay;
    return b;
  }

  /** Not thread-safe. */
  public static final class Builder {
    private final String name;
    private JobDefaults defaults = JobDefaults.PLAIN;
    private int concurrency = 1;
    private Duration lease = Duration.ofSeconds(30);
    private Duration stalledInterval = Duration.ofSeconds(30);
    private int maxStalledCount = 1;
    private Duration pollInterval = Duration.ofSeconds(1);
    private Duration retryProcessDelay = Duration.ofSeconds(5);

    private Builder(String name) {
      this.name = name;
    }

    public Builder defaults(JobDefaults defaults) {
      this.defaults = defaults;
      return this;
    }

    public Builder concurrency(int concurrency) {
      this.concurrency = concurrency;
      return this;
    }

    public Builder lease(Duration lease) {
      this.lease = lease;
      return this;
    }

    public Builder stalledInterval(Duration interval) {
      this.stalledInterval = interval;
      return this;
    }

    public Builder maxStalledCount(int count) {
      this.maxStalledCount = count;
      return this;
    }

    public Builder pollInterval(Duration interval) {
      this.pollInterval = interval;
      return this;
    }

    public Builder retryProcessDelay(Duration delay) {
      this.retryProcessDelay = delay;
      return this;
    }

    public QueueConfig build() {
      return new QueueConfig(name, defaults, concurrency, lease, stalledInterval, maxStalledCount, pollInterval,
          retryProcessDelay);
    }
  }
}
