package io.tabletap.server.store;

import io.tabletap.server.config.PrivateFiles;
import io.tabletap.server.tx.CommitHook;
import io.tabletap.server.tx.Transactions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbc.JdbcConnection;
import org.h2.jdbcx.JdbcDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded H2 file database in the data directory, migrated by Flyway on open.
 *
 * <p>Durability: each transaction is written to the file right after its commit, before anyone
 * hears of it, so it survives {@code kill -9} of the process (docs/decisions/0001); only a
 * transaction that is durable by other means until then may ask for a later store
 * ({@link #storeLater}, decision 0032).
 *
 * <p>{@code AUTO_SERVER=TRUE} lets a second process on the same machine (the {@code token create}
 * command) use the file while the server has it open; the database password, random per install,
 * lives in an owner-only file beside it.
 */
public final class Database implements AutoCloseable, Transactions {
  private static final Logger log = LoggerFactory.getLogger(Database.class);
  static final String FILE_NAME = "tabletap";
  static final String PASSWORD_FILE = "db-password";
  static final String USER = "tabletap";

  /** Plain (unpooled) H2 connections: for Flyway and for {@link #dataSource()}'s users. */
  private final JdbcDataSource source;
  private final SessionPool pool;
  private final ThreadLocal<Tx> current = new ThreadLocal<>();
  private final Stores stores;

  /** The longest a commit that asked for a later store waits for one (decision 0032). */
  public static final Duration DEFAULT_STORE_INTERVAL = Duration.ofMillis(100);

  private Database(JdbcDataSource source, int maxConnections, Duration storeInterval) {
    this.source = source;
    this.pool = new SessionPool(source, maxConnections);
    this.stores = new Stores(this::withConnection, storeInterval);
  }

  private void withConnection(Stores.SqlAction action) throws SQLException {
    Connection connection = pool.take();
    try {
      action.run(connection);
    } finally {
      pool.give(connection);
    }
  }

  /** Opens (creating if need be) and migrates the database in {@code dataDir}. */
  public static Database open(Path dataDir, int maxConnections) {
    return open(dataDir, maxConnections, DEFAULT_STORE_INTERVAL);
  }

  /** As {@link #open(Path, int)}, with commits that ask for a later store waiting up to {@code storeInterval}. */
  public static Database open(Path dataDir, int maxConnections, Duration storeInterval) {
    // AUTO_SERVER serves the file to other processes over TCP; only processes on this machine
    // need it (token create, audit verify), so keep that port off the network.
    if (System.getProperty("h2.bindAddress") == null) {
      System.setProperty("h2.bindAddress", "127.0.0.1");
    }
    Path dir = dataDir.toAbsolutePath();
    Path passwordFile = dir.resolve(PASSWORD_FILE);
    String password = PrivateFiles.read(passwordFile).orElseGet(() -> {
      byte[] bytes = new byte[24];
      new SecureRandom().nextBytes(bytes);
      String fresh = HexFormat.of().formatHex(bytes);
      PrivateFiles.writeNew(passwordFile, fresh);
      return fresh;
    });
    JdbcDataSource source = new JdbcDataSource();
    source.setURL(url(dir, storeInterval));
    source.setUser(USER);
    source.setPassword(password);
    Flyway.configure()
        .dataSource(source)
        .locations("classpath:db/migration", "classpath:io/tabletap/server/store/migration")
        .load()
        .migrate();
    Database db = new Database(source, maxConnections, storeInterval);
    db.storeNow(); // the migrations, like every other change, are on file before anything goes on
    return db;
  }

  /** Whether {@code dataDir} holds a database already (opening one creates it). */
  public static boolean existsIn(Path dataDir) {
    return Files.isRegularFile(dataDir.resolve(FILE_NAME + ".mv.db"));
  }

  static String url(Path dir, Duration storeInterval) {
    // QUERY_CACHE_SIZE: a webhook runs some forty distinct statements in one session; H2 keeps 8
    // parsed by default and re-parsed the rest each time (a tenth of a worker's time, profiled).
    // CACHE_SIZE (KiB): every commit puts the pages it wrote into H2's page cache, so the cache
    // is young garbage each collection copies; 4 MiB instead of 16 made the young pauses ~14 ms
    // instead of ~22 (docs/decisions/0031).
    // WRITE_DELAY: H2 stores in the background this often; Database stores after each commit
    // itself, but for those that ask for a later store (decision 0032; 0 would store at every
    // commit, whoever asks). AUTO_COMPACT_FILL_RATE=0: with a WRITE_DELAY, H2's background thread
    // would also rewrite sparse chunks, holding the store lock that every commit's store waits
    // for; with WRITE_DELAY=0 (until 0032) it never ran, and space is reused without it.
    return "jdbc:h2:file:" + dir.resolve(FILE_NAME) + ";WRITE_DELAY=" + storeInterval.toMillis()
        + ";AUTO_SERVER=TRUE;QUERY_CACHE_SIZE=128;CACHE_SIZE=4096;AUTO_COMPACT_FILL_RATE=0";
  }

  /** Connections of their own (each a new H2 session; close them), for tools and tests. */
  public DataSource dataSource() {
    return source;
  }

  /**
   * Work that reads, with a connection but no transaction of its own. (Work that writes, even a
   * single statement, goes through {@link #inTransaction}, which stores it.) Inside a transaction
   * of this thread it runs on that transaction's connection, so it sees its writes.
   */
  public <T> T read(SqlWork<T> work) {
    Tx tx = current.get();
    try {
      if (tx != null) {
        return work.apply(tx.connection);
      }
      Connection connection = pool.take();
      try {
        return CHECK_READS ? checkedRead(connection, work) : work.apply(connection);
      } finally {
        pool.give(connection);
      }
    } catch (SQLException e) {
      throw new StoreException("Database read failed: " + e.getMessage(), e);
    }
  }

  /**
   * With assertions on (every test run), {@link #read} refuses work that writes: in auto-commit
   * mode its change would be committed without a store (decision 0032), so it would not survive a
   * crash before the next one. Off in production, where it would cost a transaction per read.
   */
  private static final boolean CHECK_READS = Database.class.desiredAssertionStatus();

  private static <T> T checkedRead(Connection connection, SqlWork<T> work) throws SQLException {
    connection.setAutoCommit(false);
    try {
      T result = work.apply(connection);
      if (wroteAnything(connection)) {
        throw new AssertionError("Database.read wrote; work that writes goes through inTransaction, which stores it");
      }
      return result;
    } finally {
      connection.rollback();
      connection.setAutoCommit(true);
    }
  }

  /**
   * Runs {@code work} in one transaction: committed if it returns, rolled back if it throws
   * (runtime exceptions are rethrown as they are, SQL ones wrapped in {@link StoreException}).
   *
   * <p>Called inside a transaction of the same thread, it joins it: {@code work} commits with the
   * outer transaction, and if it throws, only its own writes are undone (a savepoint) before the
   * exception goes on. So a service's transaction becomes part of a bigger unit of work (a webhook
   * job: payment, order, audit rows, room events and the job's completion in one commit) without
   * the service knowing (docs/decisions/0018).
   */
  public <T> T inTransaction(SqlWork<T> work) {
    Tx tx = current.get();
    if (tx != null) {
      return joined(tx, work);
    }
    Tx started;
    T result;
    Connection connection;
    SQLException storeFailure = null;
    boolean wrote = true;
    try {
      connection = pool.take();
    } catch (SQLException e) {
      throw new StoreException("Database transaction failed: " + e.getMessage(), e);
    }
    try {
      started = new Tx(connection);
      connection.setAutoCommit(false);
      current.set(started);
      try {
        result = work.apply(connection);
        started.beforeCommit();
        wrote = wroteAnything(connection);
        connection.commit();
      } catch (SQLException | RuntimeException | Error e) {
        current.remove();
        rollbackQuietly(connection, e);
        started.ended(false);
        throw e;
      } finally {
        current.remove();
        connection.setAutoCommit(true);
      }
      storeFailure = store(started, wrote);
    } catch (SQLException e) {
      throw new StoreException("Database transaction failed: " + e.getMessage(), e);
    } finally {
      pool.give(connection);
    }
    // the connection is back in the pool: a hook may want one
    started.ended(true);
    if (storeFailure != null) {
      throw new StoreException("Database committed but could not write the commit to its file: "
          + storeFailure.getMessage(), storeFailure);
    }
    return result;
  }

  /**
   * Writes a commit that changed something to the file, unless it asked for a later store. A
   * failure is returned, not thrown: the transaction committed all the same, and its hooks must
   * hear of it (they hold locks).
   */
  private SQLException store(Tx committed, boolean wrote) {
    if (committed.whenStored != null) {
      stores.storeLater(committed.whenStored);
    } else if (wrote) { // a store after a read-only one would only write others' deferred commits
      try {
        stores.storeNow(committed.connection);
      } catch (SQLException e) {
        return e;
      }
    }
    return null;
  }

  /**
   * Asks that the transaction open on this thread be written to the file after its commit by the
   * next store (at the latest the store interval later) instead of at once, and that
   * {@code whenStored} run then. Only for work that stays durable by other means until then and
   * may be done again after a crash: a webhook batch, whose deliveries wait in the job journal
   * (decision 0032). Nothing runs if the transaction rolls back.
   *
   * @throws IllegalStateException outside a transaction
   */
  public void storeLater(Runnable whenStored) {
    Tx tx = current.get();
    if (tx == null) {
      throw new IllegalStateException("storeLater outside a transaction");
    }
    Runnable earlier = tx.whenStored;
    tx.whenStored = earlier == null ? whenStored : () -> {
      earlier.run();
      whenStored.run();
    };
  }

  /** Writes everything committed so far to the file, now (a graceful stop, tests). */
  public void storeNow() {
    try {
      withConnection(stores::storeNow);
    } catch (SQLException e) {
      throw new StoreException("Database could not write its commits to its file: " + e.getMessage(), e);
    }
  }

  /** Whether a commit that asked for a later store is not on file yet (for tests). */
  public boolean storePending() {
    return stores.pending();
  }

  /** Whether the transaction open on {@code connection} changed anything (H2's own answer). */
  private static boolean wroteAnything(Connection connection) throws SQLException {
    return connection.unwrap(JdbcConnection.class).getSession().hasPendingTransaction();
  }

  /**
   * Runs {@code work} inside {@code tx} after a savepoint, named by its depth: a savepoint named
   * anew each time ({@code setSavepoint()}) is a statement of its own that H2 parses and keeps
   * in the session's statement cache, pushing out the statements worth keeping (a webhook's batch
   * makes dozens). A savepoint replaces the one of its name, and one at the same depth is set
   * only once the last one's work has ended, so a rollback always finds its own.
   */
  private static <T> T joined(Tx tx, SqlWork<T> work) {
    Savepoint savepoint;
    try {
      savepoint = tx.connection.setSavepoint("tabletap_" + (tx.depth + 1));
    } catch (SQLException e) {
      throw new StoreException("Database transaction failed: " + e.getMessage(), e);
    }
    int hooksBefore = tx.hooks.size();
    List<Object> marks = new ArrayList<>(hooksBefore);
    for (CommitHook hook : tx.hooks) {
      marks.add(hook.mark());
    }
    tx.depth++;
    try {
      return work.apply(tx.connection);
    } catch (SQLException | RuntimeException | Error e) {
      try {
        tx.connection.rollback(savepoint);
      } catch (SQLException undo) {
        e.addSuppressed(undo);
      }
      tx.undoHooksSince(hooksBefore, marks);
      if (e instanceof SQLException sql) {
        throw new StoreException("Database transaction failed: " + sql.getMessage(), sql);
      }
      if (e instanceof Error error) {
        throw error;
      }
      throw (RuntimeException) e;
    } finally {
      tx.depth--;
    }
  }

  private static void rollbackQuietly(Connection connection, Throwable cause) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  @Override
  public <T> T run(Supplier<T> work) {
    return inTransaction(c -> work.get());
  }

  @Override
  public boolean inTransaction() {
    return current.get() != null;
  }

  @Override
  public void atEnd(CommitHook hook) {
    Tx tx = current.get();
    if (tx == null) {
      Transactions.runNow(hook);
    } else {
      tx.hooks.add(hook);
    }
  }

  /** The transaction open on a thread, and what runs when it ends. */
  private static final class Tx {
    final Connection connection;
    final List<CommitHook> hooks = new ArrayList<>();
    /** Set by {@link #storeLater}: the commit is stored later, and this runs then. */
    Runnable whenStored;
    /** How many joined transactions are open inside this one (savepoints are named by it). */
    int depth;

    Tx(Connection connection) {
      this.connection = connection;
    }

    /** A savepoint was rolled back: hooks added since never were, the others forget what came after. */
    void undoHooksSince(int count, List<Object> marks) {
      while (hooks.size() > count) {
        CommitHook added = hooks.remove(hooks.size() - 1);
        try {
          added.afterRollback();
        } catch (RuntimeException e) {
          log.error("A rollback hook failed", e);
        }
      }
      for (int i = 0; i < count; i++) {
        hooks.get(i).rollbackTo(marks.get(i));
      }
    }

    /** Each hook's beforeCommit, lowest stage first; a hook may add hooks meanwhile. */
    void beforeCommit() {
      List<CommitHook> done = new ArrayList<>();
      while (done.size() < hooks.size()) {
        CommitHook next = null;
        for (CommitHook hook : hooks) {
          if (!done.contains(hook) && (next == null || hook.stage() < next.stage())) {
            next = hook;
          }
        }
        done.add(next);
        next.beforeCommit();
      }
      hooks.clear();
      hooks.addAll(done); // they hear of the commit in the same order
    }

    void ended(boolean committed) {
      for (CommitHook hook : hooks) {
        try {
          if (committed) {
            hook.afterCommit();
          } else {
            hook.afterRollback();
          }
        } catch (RuntimeException e) {
          log.error("A {} hook failed", committed ? "commit" : "rollback", e);
        }
      }
    }
  }

  public boolean isHealthy() {
    try {
      return read(connection -> {
        try (Statement statement = connection.createStatement()) {
          return statement.execute("SELECT 1");
        }
      });
    } catch (StoreException e) {
      return false;
    }
  }

  @Override
  public void close() {
    stores.close();
    try {
      storeNow();
    } catch (StoreException e) {
      log.warn("Closing the database without a last store: {}", e.getMessage());
    }
    pool.close();
  }

  @FunctionalInterface
  public interface SqlWork<T> {
    T apply(Connection connection) throws SQLException;
  }
}
