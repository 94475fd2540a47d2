package io.tabletap.server.queue;

import io.tabletap.server.store.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies retention ({@code removeOnComplete}, {@code removeOnFail}): deletes a queue's finished
 * jobs beyond the newest N and those finished before the age limit. Runs after the transaction
 * that finished a job, in its own. At most one sweep per queue and status runs at a time; a sweep
 * that finds one running is skipped (the next finish sweeps again), so workers never queue up on
 * the same rows. Thread-safe.
 *
 * <p>A count of N is swept once every N/10 finishes, not after each: a sweep is a transaction of
 * its own, and after every webhook it cost a fifth of the workers' time (profiled; see
 * docs/performance.md). So up to N + N/10 finished jobs stay between sweeps.
 */
final class Sweeper {
  private static final Logger log = LoggerFactory.getLogger(Sweeper.class);

  private final Database db;
  private final Clock clock;
  private final Map<String, AtomicBoolean> running = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> finishedSince = new ConcurrentHashMap<>();

  Sweeper(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /**
   * {@code finished} more jobs of the set finished: sweeps if it is time. Returns how many jobs it deleted (0 if
   * it was not time, or another sweep of the same set was running).
   */
  int sweep(Effects.Sweep sweep, int finished) {
    String set = sweep.queue() + "/" + sweep.status();
    Integer count = sweep.retention().count();
    int every = count == null ? 1 : Math.max(1, count / 10);
    AtomicInteger since = finishedSince.computeIfAbsent(set, k -> new AtomicInteger());
    if (since.addAndGet(finished) < every) {
      return 0;
    }
    AtomicBoolean busy = running.computeIfAbsent(set, k -> new AtomicBoolean());
    if (!busy.compareAndSet(false, true)) {
      return 0;
    }
    since.set(0);
    try {
      return db.inTransaction(c -> {
        int deleted = 0;
        Retention r = sweep.retention();
        if (r.count() != null) {
          try (PreparedStatement s = c.prepareStatement("SELECT finished_at, seq FROM jobs USE INDEX (ix_jobs_finished) WHERE queue = ? AND status = ?"
              // the full index prefix, descending: H2 walks ix_jobs_finished backwards
              + " ORDER BY queue DESC, status DESC, finished_at DESC, seq DESC OFFSET ? ROWS FETCH FIRST 1 ROW ONLY")) {
            JobTable.bind(s, sweep.queue(), sweep.status(), r.count());
            try (ResultSet rs = s.executeQuery()) {
              if (rs.next()) {
                Instant cutFinished = JobTable.getInstant(rs, 1);
                long cutSeq = rs.getLong(2);
                try (PreparedStatement d = c.prepareStatement("DELETE FROM jobs WHERE id IN (SELECT id FROM jobs"
                    + " USE INDEX (ix_jobs_finished) WHERE queue = ? AND status = ?"
                    + " AND (finished_at < ? OR (finished_at = ? AND seq <= ?)))")) {
                  JobTable.bind(d, sweep.queue(), sweep.status(), cutFinished, cutFinished, cutSeq);
                  deleted += d.executeUpdate();
                }
              }
            }
          }
        }
        if (r.age() != null) {
          try (PreparedStatement d = c.prepareStatement("DELETE FROM jobs WHERE id IN (SELECT id FROM jobs"
              + " USE INDEX (ix_jobs_finished) WHERE queue = ? AND status = ? AND finished_at < ?)")) {
            JobTable.bind(d, sweep.queue(), sweep.status(), clock.instant().minus(r.age()));
            deleted += d.executeUpdate();
          }
        }
        if (deleted > 0) {
          log.debug("Retention removed {} {} job(s) of {}", deleted, sweep.status(), sweep.queue());
        }
        return deleted;
      });
    } finally {
      busy.set(false);
    }
  }
}
