package io.tabletap.server.queue;

import java.time.Duration;

/**
 * Which finished jobs to keep, BullMQ's {@code removeOnComplete} / {@code removeOnFail}: the
 * newest {@code count} of the queue's jobs in that status, and/or those that finished within
 * {@code age}; a job past either limit is deleted. Applied each time a job of the queue finishes
 * in that status, with the finishing job's setting.
 *
 * @param count how many to keep (0: delete at once), or null for no limit by number
 * @param age how long to keep them, or null for no limit by age
 */
public record Retention(Integer count, Duration age) {
  public static final Retention KEEP_ALL = new Retention(null, null);

  public Retention {
    if (count != null && count < 0) {
      throw new IllegalArgumentException("Keep a count of 0 or more, not " + count);
    }
    if (age != null && age.isNegative()) {
      throw new IllegalArgumentException("Keep for a non-negative age, not " + age);
    }
  }

  /** Keep the newest {@code count}; 0 removes a job as soon as it finishes. */
  public static Retention keepNewest(int count) {
    return new Retention(count, null);
  }

  public static Retention keepFor(Duration age) {
    return new Retention(null, age);
  }

  /** Remove each job as soon as it finishes (BullMQ's {@code true}). */
  public static Retention removeAtOnce() {
    return new Retention(0, null);
  }

  /** Whether a job is deleted as soon as it finishes (count 0, no age). */
  public boolean removesAtOnce() {
    return count != null && count == 0 && age == null;
  }

  public boolean keepsAll() {
    return count == null && age == null;
  }
}
