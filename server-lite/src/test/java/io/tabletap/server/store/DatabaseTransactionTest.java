package io.tabletap.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tabletap.server.tx.CommitHook;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A transaction opened inside another on the same thread joins it; hooks run at its end. */
class DatabaseTransactionTest {
  @TempDir Path dir;
  Database db;

  @BeforeEach
  void open() {
    db = Database.open(dir, 4);
    db.inTransaction(c -> c.createStatement().execute("CREATE TABLE t (v INT PRIMARY KEY)"));
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void anInnerTransactionCommitsWithTheOuterOneAndReadsSeeItsWrites() {
    db.inTransaction(c -> {
      insert(1);
      db.inTransaction(inner -> {
        assertThat(inner).isSameAs(c);
        return insert(2);
      });
      List<Integer> seenInside = db.read(DatabaseTransactionTest::values);
      assertThat(seenInside).containsExactly(1, 2);
      assertThat(valuesElsewhere()).isEmpty(); // nothing is committed before the outer commit
      return null;
    });
    assertThat(valuesElsewhere()).containsExactly(1, 2);
  }

  @Test
  void aFailingSiblingOrGrandchildUndoesOnlyItsOwnWrites() {
    // savepoints are named by depth (Database.joined): siblings share a name, so each must roll
    // back to its own, and a failure two levels down must leave the level between alone
    db.inTransaction(c -> {
      db.inTransaction(first -> insert(1));
      assertThatThrownBy(() -> db.inTransaction(second -> {
        insert(2);
        throw new IllegalStateException("second");
      })).hasMessage("second");
      db.inTransaction(middle -> {
        insert(3);
        assertThatThrownBy(() -> db.inTransaction(inner -> {
          insert(4);
          throw new IllegalStateException("inner");
        })).hasMessage("inner");
        db.inTransaction(inner -> insert(5));
        return insert(6);
      });
      assertThatThrownBy(() -> db.inTransaction(last -> {
        insert(7);
        db.inTransaction(inner -> insert(8));
        throw new IllegalStateException("last");
      })).hasMessage("last");
      return insert(9);
    });
    assertThat(valuesElsewhere()).containsExactly(1, 3, 5, 6, 9);
  }

  @Test
  void anInnerFailureUndoesOnlyTheInnerWritesAndAnOuterFailureUndoesAll() {
    db.inTransaction(c -> {
      insert(1);
      assertThatThrownBy(() -> db.inTransaction(inner -> {
        insert(2);
        throw new IllegalStateException("inner");
      })).hasMessage("inner");
      return insert(3);
    });
    assertThat(valuesElsewhere()).containsExactly(1, 3);

    assertThatThrownBy(() -> db.inTransaction(c -> {
      insert(4);
      db.inTransaction(inner -> insert(5));
      throw new IllegalStateException("outer");
    })).hasMessage("outer");
    assertThat(valuesElsewhere()).containsExactly(1, 3);
  }

  @Test
  void hooksWriteBeforeTheCommitByStageAndHearTheOutcomeAfterIt() {
    List<String> seen = new ArrayList<>();
    db.inTransaction(c -> {
      db.atEnd(hook(seen, "late", 20, 21));
      db.atEnd(hook(seen, "early", 10, 11));
      insert(1);
      seen.add("work");
      return null;
    });
    assertThat(seen).containsExactly("work", "early before", "late before", "early committed", "late committed");
    assertThat(valuesElsewhere()).containsExactly(1, 11, 21);
    assertThat(db.inTransaction()).isFalse();
  }

  @Test
  void aHookThatFailsBeforeTheCommitRollsEverythingBack() {
    List<String> seen = new ArrayList<>();
    assertThatThrownBy(() -> db.inTransaction(c -> {
      db.atEnd(hook(seen, "ok", 10, 11));
      db.atEnd(new CommitHook() {
        @Override
        public int stage() {
          return 20;
        }

        @Override
        public void beforeCommit() {
          throw new IllegalStateException("refused");
        }
      });
      return insert(1);
    })).hasMessage("refused");
    assertThat(seen).containsExactly("ok before", "ok rolled back");
    assertThat(valuesElsewhere()).isEmpty();
  }

  @Test
  void anInnerFailureTakesBackWhatItsHooksCollectedAndDropsTheHooksItAdded() {
    List<Integer> collected = new ArrayList<>();
    List<String> seen = new ArrayList<>();
    CommitHook collector = new CommitHook() {
      @Override
      public Object mark() {
        return collected.size();
      }

      @Override
      public void rollbackTo(Object mark) {
        collected.subList((Integer) mark, collected.size()).clear();
      }

      @Override
      public void beforeCommit() {
        collected.forEach(DatabaseTransactionTest.this::insert);
      }
    };
    db.inTransaction(c -> {
      db.atEnd(collector);
      collected.add(1);
      assertThatThrownBy(() -> db.inTransaction(inner -> {
        collected.add(2);
        db.atEnd(hook(seen, "inner", 0, 99));
        throw new IllegalStateException("inner");
      })).hasMessage("inner");
      collected.add(3);
      return null;
    });
    assertThat(valuesElsewhere()).containsExactly(1, 3);
    assertThat(seen).containsExactly("inner rolled back");
  }

  @Test
  void withoutATransactionAHookRunsAtOnce() {
    List<String> seen = new ArrayList<>();
    db.atEnd(hook(seen, "now", 0, 7));
    assertThat(seen).containsExactly("now before", "now committed");
    assertThat(valuesElsewhere()).containsExactly(7);
  }

  private CommitHook hook(List<String> seen, String name, int stage, int value) {
    return new CommitHook() {
      @Override
      public int stage() {
        return stage;
      }

      @Override
      public void beforeCommit() {
        seen.add(name + " before");
        insert(value);
      }

      @Override
      public void afterCommit() {
        assertThat(db.inTransaction()).isFalse();
        seen.add(name + " committed");
      }

      @Override
      public void afterRollback() {
        seen.add(name + " rolled back");
      }
    };
  }

  private int insert(int v) {
    return db.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement("INSERT INTO t VALUES (?)")) {
        s.setInt(1, v);
        return s.executeUpdate();
      }
    });
  }

  /** What another connection sees: the committed rows only. */
  private List<Integer> valuesElsewhere() {
    try {
      var other = db.dataSource().getConnection();
      try (other) {
        return values(other);
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<Integer> values(java.sql.Connection c) throws java.sql.SQLException {
    try (ResultSet rs = c.createStatement().executeQuery("SELECT v FROM t ORDER BY v")) {
      List<Integer> values = new ArrayList<>();
      while (rs.next()) {
        values.add(rs.getInt(1));
      }
      return values;
    }
  }
}
