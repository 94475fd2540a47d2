package io.tabletap.server.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When H2 writes committed transactions to its file (decision 0032).
 *
 * <p>H2 runs with a {@code WRITE_DELAY}, so a commit is in memory until the next <em>store</em>
 * writes every change since the last one in one go. {@link Database} stores right after each
 * commit ({@link #storeNow}), so that commit survives {@code kill -9} before anyone hears of it,
 * as {@code WRITE_DELAY=0} did (decision 0001). A commit made durable by other means first (a
 * webhook batch: its deliveries are in the job journal, and processing them again is harmless)
 * is stored {@linkplain #storeLater later}: by the next store of anyone, at the latest
 * one interval after it. Whoever waits for that learns of it through a callback.
 *
 * <p>How a store covers a commit: {@code CHECKPOINT} calls H2's {@code MVStore.commit()}, which
 * returns once a store that began after the call has written everything committed before it.
 * A store reads the number of deferred commits before it starts, so every commit counted there
 * is on file when it returns.
 */
final class Stores implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Stores.class);
  /** Deferred commits so far; the n-th one's ticket is n. */
  private final AtomicLong deferred = new AtomicLong();
  /** The highest ticket a finished store covers. Guarded by this. */
  private long storedThrough;
  /** Callbacks of deferred commits not stored yet. Guarded by this. */
  private final List<Waiting> waiting = new ArrayList<>();
  private final ScheduledExecutorService ticker;

  private record Waiting(long ticket, Runnable whenStored) {}

  /**
   * Stores every {@code interval} while a deferred commit waits, on a connection from
   * {@code lender}. At 100 ms (the default), about 50 webhooks at 500/s share a store.
   */
  Stores(ConnectionLender lender, Duration interval) {
    this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "h2-store");
      t.setDaemon(true);
      return t;
    });
    ticker.scheduleWithFixedDelay(() -> {
      try {
        if (pending()) {
          lender.withConnection(this::storeNow);
        }
      } catch (SQLException | RuntimeException e) {
        log.error("Could not store the database's deferred commits (they wait for the next store)", e);
      }
    }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Lends a connection to a store, and takes it back. */
  @FunctionalInterface
  interface ConnectionLender {
    void withConnection(SqlAction action) throws SQLException;
  }

  @FunctionalInterface
  interface SqlAction {
    void run(Connection connection) throws SQLException;
  }

  /** Writes everything committed so far to the file; runs the callbacks of the deferred commits it covers. */
  void storeNow(Connection connection) throws SQLException {
    long covered = deferred.get();
    try (Statement s = connection.createStatement()) {
      s.execute("CHECKPOINT");
    }
    stored(covered);
  }

  /** A transaction committed without a store: {@code whenStored} runs once one covers it. */
  void storeLater(Runnable whenStored) {
    long ticket = deferred.incrementAndGet();
    synchronized (this) {
      if (ticket > storedThrough) {
        waiting.add(new Waiting(ticket, whenStored));
        return;
      }
    }
    run(whenStored);
  }

  /** Whether a deferred commit waits for a store. */
  synchronized boolean pending() {
    return deferred.get() > storedThrough;
  }

  private void stored(long covered) {
    List<Runnable> due = new ArrayList<>();
    synchronized (this) {
      if (covered <= storedThrough) {
        return;
      }
      storedThrough = covered;
      waiting.removeIf(w -> {
        if (w.ticket() <= covered) {
          due.add(w.whenStored());
          return true;
        }
        return false;
      });
    }
    due.forEach(Stores::run);
  }

  private static void run(Runnable whenStored) {
    try {
      whenStored.run();
    } catch (RuntimeException e) {
      log.error("A callback after a store failed", e);
    }
  }

  /** Stops the timer; the caller stores once more before closing the database. */
  @Override
  public void close() {
    ticker.shutdownNow();
    try {
      ticker.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
