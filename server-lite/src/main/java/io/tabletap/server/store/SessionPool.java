package io.tabletap.server.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connections {@link Database} works on: H2 sessions kept open between uses, and handed back
 * as they are, so each keeps the statements it parsed.
 *
 * <p>Why not H2's {@code JdbcConnectionPool}: it rolls every connection back when it is returned,
 * and an H2 rollback empties the session's query cache ({@code SessionLocal.rollbackTo}). So every
 * statement was parsed again on every use, 12–15% of the webhook worker's time (JFR,
 * docs/performance.md "Session 4"). {@link Database} always ends its own transactions (commit or
 * rollback, then auto-commit on), so a connection comes back clean; one that does not (a bug) is
 * rolled back here before it is reused.
 *
 * <p>A session also keeps each cached statement's plan, made from the table sizes of the moment
 * it was parsed. So a connection is closed, not reused, once it is {@link #MAX_AGE} old: no plan
 * made while a table was small outlives that. (The job queue's queries name their index anyway;
 * see queue/JobTable.)
 *
 * <p>At most {@code max} connections are out at once; a caller waits up to {@link #WAIT_SECONDS}
 * for one. The most recently returned connection is handed out first, so the sessions in use stay
 * few and their caches warm. Thread-safe.
 */
final class SessionPool implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SessionPool.class);
  static final int WAIT_SECONDS = 30;
  static final Duration MAX_AGE = Duration.ofMinutes(10);

  private final DataSource source;
  private final Semaphore permits;
  private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
  /** When each open connection was made ({@link System#nanoTime}). */
  private final Map<Connection, Long> born = new ConcurrentHashMap<>();
  private final LongSupplier nanoTime;
  private volatile boolean closed;

  SessionPool(DataSource source, int max) {
    this(source, max, System::nanoTime);
  }

  /** As above, with the time source that ages connections (tests move it). */
  SessionPool(DataSource source, int max, LongSupplier nanoTime) {
    this.source = source;
    this.permits = new Semaphore(max);
    this.nanoTime = nanoTime;
  }

  /** A connection in auto-commit mode; give it back with {@link #give}. */
  Connection take() throws SQLException {
    if (closed) {
      throw new SQLException("The database is closed");
    }
    try {
      if (!permits.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS)) {
        throw new SQLException("No database connection became free within " + WAIT_SECONDS + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("Interrupted while waiting for a database connection", e);
    }
    try {
      Connection connection;
      while ((connection = idle.pollFirst()) != null) {
        if (!connection.isClosed()) {
          return connection;
        }
        born.remove(connection);
      }
      Connection fresh = source.getConnection();
      born.put(fresh, nanoTime.getAsLong());
      return fresh;
    } catch (SQLException | RuntimeException e) {
      permits.release();
      throw e;
    }
  }

  /** Takes back a connection from {@link #take}; one left in a transaction is rolled back first. */
  void give(Connection connection) {
    try {
      Long madeAt = born.get(connection);
      if (closed || connection.isClosed() || madeAt == null || nanoTime.getAsLong() - madeAt > MAX_AGE.toNanos()) {
        closeQuietly(connection);
        return;
      }
      if (!connection.getAutoCommit()) {
        log.warn("A database connection came back inside a transaction; rolling it back");
        connection.rollback();
        connection.setAutoCommit(true);
      }
      idle.offerFirst(connection);
    } catch (SQLException e) {
      closeQuietly(connection);
    } finally {
      permits.release();
    }
  }

  /** How many connections wait idle (for tests). */
  int idleCount() {
    return idle.size();
  }

  @Override
  public void close() {
    closed = true;
    Connection connection;
    while ((connection = idle.pollFirst()) != null) {
      closeQuietly(connection);
    }
  }

  private void closeQuietly(Connection connection) {
    born.remove(connection);
    try {
      connection.close();
    } catch (SQLException e) {
      log.debug("Closing a database connection: {}", e.getMessage());
    }
  }
}
