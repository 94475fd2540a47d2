package io.tabletap.server.store;

import io.tabletap.server.config.PrivateFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * The embedded H2 file database in the data directory, migrated by Flyway on open.
 *
 * <p>Durability: {@code WRITE_DELAY=0} is in the URL on every open (H2 does not remember it), so a
 * committed transaction survives {@code kill -9} of the process (docs/decisions/0001). {@code
 * AUTO_SERVER=TRUE} lets a second process on the same machine (the {@code token create} command)
 * use the file while the server has it open; the database password, random per install, lives in
 * an owner-only file beside it.
 */
public final class Database implements AutoCloseable {
  static final String FILE_NAME = "tabletap";
  private static final String PASSWORD_FILE = "db-password";
  private static final String USER = "tabletap";

  private final JdbcConnectionPool pool;

  private Database(JdbcConnectionPool pool) {
    this.pool = pool;
  }

  /** Opens (creating if need be) and migrates the database in {@code dataDir}. */
  public static Database open(Path dataDir, int maxConnections) {
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
    JdbcConnectionPool pool = JdbcConnectionPool.create(url(dir), USER, password);
    pool.setMaxConnections(maxConnections);
    Flyway.configure()
        .dataSource(pool)
        .locations("classpath:db/migration")
        .load()
        .migrate();
    return new Database(pool);
  }

  /** Whether {@code dataDir} holds a database already (opening one creates it). */
  public static boolean existsIn(Path dataDir) {
    return Files.isRegularFile(dataDir.resolve(FILE_NAME + ".mv.db"));
  }

  static String url(Path dir) {
    return "jdbc:h2:file:" + dir.resolve(FILE_NAME) + ";WRITE_DELAY=0;AUTO_SERVER=TRUE";
  }

  public DataSource dataSource() {
    return pool;
  }

  /** Work that needs a connection but no transaction of its own (a single statement). */
  public <T> T read(SqlWork<T> work) {
    try (Connection connection = pool.getConnection()) {
      return work.apply(connection);
    } catch (SQLException e) {
      throw new StoreException("Database read failed: " + e.getMessage(), e);
    }
  }

  /**
   * Runs {@code work} in one transaction: committed if it returns, rolled back if it throws
   * (runtime exceptions are rethrown as they are, SQL ones wrapped in {@link StoreException}).
   */
  public <T> T inTransaction(SqlWork<T> work) {
    try (Connection connection = pool.getConnection()) {
      connection.setAutoCommit(false);
      try {
        T result = work.apply(connection);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new StoreException("Database transaction failed: " + e.getMessage(), e);
    }
  }

  public boolean isHealthy() {
    try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
      return statement.execute("SELECT 1");
    } catch (SQLException e) {
      return false;
    }
  }

  @Override
  public void close() {
    pool.dispose();
  }

  @FunctionalInterface
  public interface SqlWork<T> {
    T apply(Connection connection) throws SQLException;
  }
}
