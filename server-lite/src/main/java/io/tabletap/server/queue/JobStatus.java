package io.tabletap.server.queue;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Where a job is in its life. The allowed moves are {@link #next()}; the same table is in the
 * database ({@code job_transitions}, migration V005), which refuses any other move.
 *
 * <pre>
 * (new)   → WAITING, DELAYED, BLOCKED
 * WAITING → ACTIVE                      claimed by a worker
 * DELAYED → WAITING                     its time came
 * BLOCKED → WAITING, DELAYED            its prerequisite completed
 * BLOCKED → FAILED                      its prerequisite failed for good, or was removed
 * ACTIVE  → COMPLETED, FAILED           the handler returned, or threw with no attempts left
 * ACTIVE  → DELAYED, WAITING            a retry (with or without backoff), a stall, a release
 * FAILED  → WAITING, BLOCKED            retried by hand (BLOCKED while its prerequisite is unfinished)
 * </pre>
 */
public enum JobStatus {
  WAITING,
  DELAYED,
  ACTIVE,
  COMPLETED,
  FAILED,
  BLOCKED;

  /** The pseudo-status a new job comes from, as stored in {@code previous_status}. */
  static final String NEW = "NEW";

  private static final Map<JobStatus, Set<JobStatus>> NEXT = new EnumMap<>(JobStatus.class);
  private static final Set<JobStatus> INITIAL = Collections.unmodifiableSet(EnumSet.of(WAITING, DELAYED, BLOCKED));

  static {
    NEXT.put(WAITING, EnumSet.of(ACTIVE));
    NEXT.put(DELAYED, EnumSet.of(WAITING));
    NEXT.put(BLOCKED, EnumSet.of(WAITING, DELAYED, FAILED));
    NEXT.put(ACTIVE, EnumSet.of(COMPLETED, FAILED, WAITING, DELAYED));
    NEXT.put(COMPLETED, EnumSet.noneOf(JobStatus.class));
    NEXT.put(FAILED, EnumSet.of(WAITING, BLOCKED));
    NEXT.replaceAll((status, next) -> Collections.unmodifiableSet(next));
  }

  /** The statuses this one may move to. */
  public Set<JobStatus> next() {
    return NEXT.get(this);
  }

  public boolean canMoveTo(JobStatus to) {
    return next().contains(to);
  }

  /** The statuses a job may be inserted with. */
  public static Set<JobStatus> initial() {
    return INITIAL;
  }

  /** COMPLETED or FAILED: nothing runs it again unless it is retried by hand. */
  public boolean isFinished() {
    return this == COMPLETED || this == FAILED;
  }
}
