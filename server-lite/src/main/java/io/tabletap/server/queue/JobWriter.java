package io.tabletap.server.queue;

import io.tabletap.server.domain.TimeOrderedIds;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Writes new jobs inside the caller's JDBC transaction, so that a job commits (or rolls back)
 * with the caller's own rows: a webhook's receipt and the job that processes it, an order and its
 * flow.
 *
 * <pre>{@code
 * JobWriter.Added added = database.inTransaction(c -> {
 *   insertReceipt(c, receipt);
 *   return queues.writer().insert(c, JobSpec.builder("webhook-processing", "process_webhook")
 *       .dataOf(payload).priority(WebhookPriority.of(eventType)).jobId(provider + ":" + eventId).build());
 * });
 * queues.afterCommit(added); // publishes job.added and wakes the queue's workers at once
 * }</pre>
 *
 * <p>Without the {@code afterCommit} the job still runs, on the workers' next poll. Thread-safe.
 */
public final class JobWriter {
  /** SQLSTATE of a unique constraint broken. */
  private static final String DUPLICATE_KEY = "23505";
  private final Map<String, QueueConfig> queues;
  private final Clock clock;

  JobWriter(Map<String, QueueConfig> queues, Clock clock) {
    this.queues = Map.copyOf(queues);
    this.clock = clock;
  }

  /**
   * The job {@link #insert} wrote, or found.
   *
   * @param created false when the queue already held a job with the spec's {@code jobId}: then
   *     {@code job} is that one and nothing was written
   * @param job the job; null only when a remembered key's job was already removed by retention
   */
  public record Added(UUID id, boolean created, Job job) {}

  /**
   * Writes {@code spec} as a new job in {@code c}'s transaction (committing it is the caller's
   * business), with the options the spec leaves unset taken from its queue.
   *
   * <p>A job with a {@code jobId} its queue already holds is not written: the existing job is
   * returned with {@code created = false}. Keys are unique while the job exists; once retention
   * removed it, the key can be used again.
   *
   * @throws IllegalArgumentException for an unknown queue or an unknown prerequisite
   * @throws IllegalStateException if the prerequisite has failed
   */
  public Added insert(Connection c, JobSpec spec) throws SQLException {
    return insert(c, spec, null, null);
  }

  /** As {@link #insert(Connection, JobSpec)}, as step {@code step} of flow {@code flowId}. */
  Added insert(Connection c, JobSpec spec, String flowId, String step) throws SQLException {
    Instant now = clock.instant();
    return insert(c, spec, flowId, step, TimeOrderedIds.next(now), now);
  }

  /** As {@link #insert(Connection, JobSpec)}, as job {@code id} added at {@code now} (a journaled add). */
  Added insertJournaled(Connection c, JobSpec spec, UUID id, Instant now) throws SQLException {
    return insert(c, spec, null, null, id, now);
  }

  private Added insert(Connection c, JobSpec spec, String flowId, String step, UUID id, Instant now) throws SQLException {
    QueueConfig config = config(spec);
    Optional<Added> existing = existing(c, spec);
    if (existing.isPresent()) {
      return existing.get();
    }
    JobStatus status = spec.delay().isZero() ? JobStatus.WAITING : JobStatus.DELAYED;
    Instant runAt = now.plus(spec.delay());
    if (spec.prerequisite().isPresent()) {
      UUID prerequisiteId = spec.prerequisite().get();
      Job prerequisite = JobTable.find(c, prerequisiteId)
          .orElseThrow(() -> new IllegalArgumentException("No prerequisite job " + prerequisiteId));
      switch (prerequisite.status()) {
        case FAILED -> throw new IllegalStateException("The prerequisite job " + prerequisiteId + " has failed");
        case COMPLETED -> {
          // the delay counts from the prerequisite's completion, which is past
          runAt = prerequisite.finishedAt().plus(spec.delay());
          status = runAt.isAfter(now) ? JobStatus.DELAYED : JobStatus.WAITING;
          runAt = status == JobStatus.WAITING ? now : runAt;
        }
        default -> {
          status = JobStatus.BLOCKED;
          runAt = now;
        }
      }
    }
    Job job = newJob(config, spec, id, 0, status, runAt, now, flowId, step);
    long seq;
    try {
      seq = JobTable.insert(c, job);
    } catch (SQLException e) {
      // a racing add with the same key committed first (H2 undoes only the failed statement)
      if (DUPLICATE_KEY.equals(e.getSQLState()) && spec.jobId().isPresent()) {
        Optional<Job> winner = JobTable.findByKey(c, spec.queue(), spec.jobId().get());
        if (winner.isPresent()) {
          return new Added(winner.get().id(), false, winner.get());
        }
      }
      throw e;
    }
    if (spec.remembersKey() && spec.jobId().isPresent() && !rememberKey(c, spec, job.id(), now)) {
      // a job of a batch that ran without a row took the key first (startUnstored): this add must not stand
      JobTable.delete(c, job.id(), 0);
      return existing(c, spec).orElseThrow();
    }
    return new Added(job.id(), true, newJob(config, spec, id, seq, status, runAt, now, flowId, step));
  }

  /**
   * The job already added under {@code spec}'s {@code jobId}: the queue's job with that key, or a
   * remembered key's (whose job retention may have removed: then {@code job} is null).
   */
  Optional<Added> existing(Connection c, JobSpec spec) throws SQLException {
    if (spec.jobId().isEmpty()) {
      return Optional.empty();
    }
    Optional<Job> found = JobTable.findByKey(c, spec.queue(), spec.jobId().get());
    if (found.isPresent()) {
      return Optional.of(new Added(found.get().id(), false, found.get()));
    }
    if (spec.remembersKey()) {
      return JobKeys.find(c, spec.queue(), spec.jobId().get()).map(remembered -> new Added(remembered, false, null));
    }
    return Optional.empty();
  }

  /**
   * Starts a journaled add without a row in the jobs table (decision 0024): remembers its key and
   * returns the job as running its first attempt, for the batch of this transaction to run. Empty
   * if its key is taken already (a replayed record, or an add that went another way).
   *
   * <p>Only for a job its queue removes at once when it completes ({@link #runsUnstored}): if it
   * succeeds, the row would be inserted, claimed and deleted in this one transaction for nothing;
   * on any other way out the batch stores it first ({@link #storeUnstored}).
   */
  Optional<Job> startUnstored(Connection c, JobSpec spec, UUID id, Instant addedAt, Instant now) throws SQLException {
    if (existing(c, spec).isPresent() || !rememberKey(c, spec, id, now)) {
      return Optional.empty();
    }
    return Optional.of(waiting(spec, id, addedAt).as(JobStatus.ACTIVE, 0, now, null));
  }

  /** Remembers {@code spec}'s key for job {@code id}; false if a racing add with the same key took it first. */
  private static boolean rememberKey(Connection c, JobSpec spec, UUID id, Instant now) throws SQLException {
    try {
      JobKeys.remember(c, spec.queue(), spec.jobId().orElseThrow(), id, now);
      return true;
    } catch (SQLException e) {
      if (DUPLICATE_KEY.equals(e.getSQLState())) {
        return false;
      }
      throw e;
    }
  }

  /** Whether a journaled add of {@code spec} can run without a row: its queue keeps no completed job. */
  boolean runsUnstored(JobSpec spec) {
    return spec.removeOnComplete().orElse(config(spec).defaults().removeOnComplete()).removesAtOnce();
  }

  /**
   * Stores a job started by {@link #startUnstored} as the WAITING row it would have been, and
   * returns that row: a failed attempt is then recorded on it like any other, a released one waits.
   */
  Job storeUnstored(Connection c, Job started) throws SQLException {
    JobTable.insert(c, started.as(JobStatus.WAITING, 0, null, null));
    return JobTable.find(c, started.id()).orElseThrow();
  }

  /** The WAITING job {@code spec} becomes as job {@code id} added at {@code now}, before it is stored. */
  Job waiting(JobSpec spec, UUID id, Instant now) {
    return newJob(config(spec), spec, id, 0, JobStatus.WAITING, now, now, null, null);
  }

  private QueueConfig config(JobSpec spec) {
    QueueConfig config = queues.get(spec.queue());
    if (config == null) {
      throw new IllegalArgumentException("No queue '" + spec.queue() + "'; known: " + queues.keySet());
    }
    return config;
  }

  private static Job newJob(QueueConfig config, JobSpec spec, UUID id, long seq, JobStatus status, Instant runAt, Instant now,
      String flowId, String step) {
    JobDefaults d = config.defaults();
    return new Job(id, seq, spec.queue(), spec.name(), spec.jobId().orElse(null), spec.data(), spec.payloadVersion(),
        spec.cafeId().orElse(null), status, spec.priority().orElse(0), runAt, spec.delay(),
        spec.attempts().orElse(d.attempts()), 0, spec.backoff().orElse(d.backoff()),
        spec.removeOnComplete().orElse(d.removeOnComplete()), spec.removeOnFail().orElse(d.removeOnFail()),
        spec.prerequisite().orElse(null), flowId, step, 0, 0, null, null, 0, now, null, null);
  }

  /** The queue names this writer knows. */
  public Set<String> queueNames() {
    return queues.keySet();
  }
}
