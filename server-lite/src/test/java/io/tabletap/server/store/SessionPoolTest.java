package io.tabletap.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sessions Database works on: kept open between uses, clean when reused, aged out, bounded. */
class SessionPoolTest {
  @TempDir Path dir;
  private final AtomicLong nanos = new AtomicLong();
  private SessionPool pool;

  @BeforeEach
  void open() throws SQLException {
    JdbcDataSource source = new JdbcDataSource();
    source.setURL("jdbc:h2:file:" + dir.resolve("pool") + ";WRITE_DELAY=0");
    pool = new SessionPool(source, 2, nanos::get);
    Connection c = pool.take();
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t (v INT)");
    }
    pool.give(c);
  }

  @AfterEach
  void close() {
    pool.close();
  }

  @Test
  void aConnectionGivenBackIsTheNextOneTakenSoItsSessionKeepsWhatItParsed() throws SQLException {
    Connection first = pool.take();
    pool.give(first);
    assertThat(pool.take()).isSameAs(first);
  }

  @Test
  void aConnectionGivenBackInsideATransactionIsRolledBackBeforeItIsReused() throws SQLException {
    Connection c = pool.take();
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      s.executeUpdate("INSERT INTO t VALUES (1)");
    }
    pool.give(c); // a bug in the caller: it neither committed nor rolled back

    Connection again = pool.take();
    assertThat(again.getAutoCommit()).isTrue();
    try (Statement s = again.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM t")) {
      rs.next();
      assertThat(rs.getInt(1)).isZero();
    }
  }

  @Test
  void aConnectionOlderThanTheMaximumAgeIsClosedInsteadOfReused() throws SQLException {
    Connection old = pool.take();
    nanos.addAndGet(SessionPool.MAX_AGE.plus(Duration.ofSeconds(1)).toNanos());
    pool.give(old);

    assertThat(old.isClosed()).isTrue();
    Connection fresh = pool.take();
    assertThat(fresh).isNotSameAs(old);
    assertThat(fresh.isClosed()).isFalse();
  }

  @Test
  void noMoreThanTheMaximumAreOutAtOnceAndAWaitingCallerGetsTheNextOneGivenBack() throws Exception {
    Connection a = pool.take();
    Connection b = pool.take();
    CountDownLatch started = new CountDownLatch(1);
    CompletableFuture<Connection> third = CompletableFuture.supplyAsync(() -> {
      started.countDown();
      try {
        return pool.take();
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    });
    assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(third).isNotDone();

    pool.give(b);
    assertThat(third.get(5, TimeUnit.SECONDS)).isSameAs(b);
    pool.give(a);
  }

  @Test
  void afterCloseIdleConnectionsAreClosedAndNoneIsHandedOut() throws SQLException {
    Connection c = pool.take();
    pool.give(c);
    pool.close();

    assertThat(c.isClosed()).isTrue();
    assertThatThrownBy(pool::take).isInstanceOf(SQLException.class).hasMessageContaining("closed");
  }
}
