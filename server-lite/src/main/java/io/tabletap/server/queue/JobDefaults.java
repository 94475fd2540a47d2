package io.tabletap.server.queue;

import java.util.Objects;

/**
 * A queue's options for jobs that do not set their own (BullMQ's {@code defaultJobOptions}).
 *
 * @param attempts how many times a job runs at most before it fails for good (1: no retry)
 * @param backoff the wait between attempts
 * @param removeOnComplete which COMPLETED jobs to keep
 * @param removeOnFail which FAILED jobs (dead letters) to keep
 */
public record JobDefaults(int attempts, Backoff backoff, Retention removeOnComplete, Retention removeOnFail) {
  /** BullMQ's own defaults: one attempt, no backoff, keep everything. */
  public static final JobDefaults PLAIN = new JobDefaults(1, Backoff.none(), Retention.KEEP_ALL, Retention.KEEP_ALL);

  public JobDefaults {
    if (attempts < 1 || attempts > JobSpec.MAX_ATTEMPTS) {
      throw new IllegalArgumentException("attempts is 1 to " + JobSpec.MAX_ATTEMPTS + ", not " + attempts);
    }
    Objects.requireNonNull(backoff, "backoff");
    Objects.requireNonNull(removeOnComplete, "removeOnComplete");
    Objects.requireNonNull(removeOnFail, "removeOnFail");
  }
}
