package io.tabletap.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When commits reach the file (decision 0032): at once, but for a transaction that asked for a
 * later store, which the next store of anyone covers, at the latest one interval later.
 */
class DatabaseStoreTest {
  @TempDir Path dir;
  Database db;

  /** A store interval no test waits for: only the stores the tests cause happen. */
  private void open(Duration interval) {
    db = Database.open(dir, 4, interval);
    db.inTransaction(c -> c.createStatement().execute("CREATE TABLE t (v INT PRIMARY KEY)"));
  }

  @AfterEach
  void close() {
    if (db != null) {
      db.close();
    }
  }

  @Test
  void anOrdinaryCommitIsOnFileWhenItReturns() {
    open(Duration.ofHours(1));
    insert(1);

    assertThat(unsaved()).as("changes H2 has not written").isFalse();
    assertThat(db.storePending()).isFalse();
  }

  @Test
  void aCommitThatAskedForALaterStoreWaitsForOneAndHearsOfIt() {
    open(Duration.ofHours(1));
    AtomicInteger stored = new AtomicInteger();
    insertStoredLater(1, stored::incrementAndGet);

    assertThat(unsaved()).isTrue();
    assertThat(db.storePending()).isTrue();
    assertThat(stored).hasValue(0);
    assertThat(count()).as("committed: visible to everyone meanwhile").isEqualTo(1);

    db.storeNow();

    assertThat(stored).hasValue(1);
    assertThat(unsaved()).isFalse();
    assertThat(db.storePending()).isFalse();
  }

  @Test
  void theNextOrdinaryCommitStoresTheDeferredOnesBeforeIt() {
    open(Duration.ofHours(1));
    AtomicInteger stored = new AtomicInteger();
    for (int i = 1; i <= 3; i++) {
      insertStoredLater(i, stored::incrementAndGet);
    }
    assertThat(stored).hasValue(0);

    insert(4);

    assertThat(stored).hasValue(3);
    assertThat(unsaved()).isFalse();
  }

  @Test
  void aTransactionThatWroteNothingStoresNothing() {
    open(Duration.ofHours(1));
    AtomicInteger stored = new AtomicInteger();
    insertStoredLater(1, stored::incrementAndGet);

    long found = db.inTransaction(c -> countOn(c)); // a claim that found nothing, say
    assertThat(found).isEqualTo(1);

    assertThat(stored).hasValue(0);
    assertThat(unsaved()).isTrue();
  }

  @Test
  void aRolledBackTransactionNeverCallsBack() {
    open(Duration.ofHours(1));
    AtomicInteger stored = new AtomicInteger();
    assertThatThrownBy(() -> db.inTransaction(c -> {
      insertOn(c, 1);
      db.storeLater(stored::incrementAndGet);
      throw new IllegalStateException("failed");
    })).hasMessage("failed");

    db.storeNow();

    assertThat(stored).hasValue(0);
    assertThat(db.storePending()).isFalse();
    assertThat(count()).isZero();
  }

  @Test
  void theStoreTimerCoversADeferredCommitWithinItsInterval() throws Exception {
    open(Duration.ofMillis(20));
    CountDownLatch stored = new CountDownLatch(1);
    insertStoredLater(1, stored::countDown);

    assertThat(stored.await(10, TimeUnit.SECONDS)).as("stored by the timer").isTrue();
    assertThat(db.storePending()).isFalse();
  }

  @Test
  void storeLaterNeedsATransaction() {
    open(Duration.ofHours(1));
    assertThatThrownBy(() -> db.storeLater(() -> {})).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aReadThatWritesIsRefusedInTestsAndChangesNothing() {
    open(Duration.ofHours(1));
    assertThatThrownBy(() -> db.read(c -> insertOn(c, 1))).isInstanceOf(AssertionError.class)
        .hasMessageContaining("inTransaction");

    assertThat(count()).isZero();
  }

  private void insert(int v) {
    db.inTransaction(c -> insertOn(c, v));
  }

  /** Inserts {@code v} in a transaction that asks for a later store. */
  private void insertStoredLater(int v, Runnable whenStored) {
    db.inTransaction(c -> {
      db.storeLater(whenStored);
      return insertOn(c, v);
    });
  }

  private static int insertOn(Connection c, int v) throws SQLException {
    return c.createStatement().executeUpdate("INSERT INTO t VALUES (" + v + ")");
  }

  private long count() {
    return db.read(DatabaseStoreTest::countOn);
  }

  private static long countOn(Connection c) throws SQLException {
    try (ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM t")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Whether H2 holds changes it has not written to the file (its own MVStore's answer). */
  private boolean unsaved() {
    return db.read(c -> ((SessionLocal) c.unwrap(JdbcConnection.class).getSession()).getDatabase().getStore().getMvStore()
        .hasUnsavedChanges());
  }
}
