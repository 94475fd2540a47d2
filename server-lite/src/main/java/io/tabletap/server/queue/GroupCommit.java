package io.tabletap.server.queue;

import io.tabletap.server.store.Database;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for jobs added one at a time from many threads (a webhook per HTTP request): a
 * single committer thread takes every add that is waiting, writes them all in one transaction and
 * commits once, then answers each caller. A caller still returns only after its job committed;
 * it just shares the commit. Each add runs in a savepoint, so one that is refused (bad data, an
 * unknown queue) fails alone. Two adds with the same job id in one group behave as they would one
 * after the other: the second finds the first.
 *
 * <p>Why: with H2 a commit writes every page the transaction changed, and a job touches nine
 * B-trees; a commit per webhook spent half the HTTP threads' time in commits (profiled; see
 * docs/performance.md). A lone add is committed at once, on its own: there is no timer to wait for.
 */
final class GroupCommit implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);
  /** Most adds in one transaction. */
  static final int MAX_GROUP = 256;

  private final Database db;
  private final JobWriter writer;
  private final Consumer<List<JobWriter.Added>> afterCommit;
  private final BlockingQueue<Pending> incoming = new LinkedBlockingQueue<>();
  private final Thread committer;
  private volatile boolean closed;

  private record Pending(JobSpec spec, CompletableFuture<JobWriter.Added> result) {}

  /** The end of the stream: the committer stops when it takes it. */
  private static final Pending STOP = new Pending(null, null);

  GroupCommit(Database db, JobWriter writer, Consumer<List<JobWriter.Added>> afterCommit) {
    this.db = db;
    this.writer = writer;
    this.afterCommit = afterCommit;
    this.committer = new Thread(this::run, "job-group-commit");
    committer.setDaemon(true);
    committer.start();
  }

  /**
   * Adds {@code spec} and returns once it is committed; null, having done nothing, if the group
   * commit is closed (the caller writes on its own then).
   */
  JobWriter.Added add(JobSpec spec) {
    Pending pending = new Pending(spec, new CompletableFuture<>());
    synchronized (this) {
      if (closed) {
        return null;
      }
      incoming.add(pending);
    }
    try {
      return pending.result.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      // the add may still commit; the caller cannot tell, as with a crash before the answer
      throw new IllegalStateException("Interrupted while the job was being committed", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  private void run() {
    List<Pending> group = new ArrayList<>();
    while (true) {
      group.clear();
      try {
        group.add(incoming.take());
      } catch (InterruptedException e) {
        continue; // only close() stops it, after every add was answered
      }
      incoming.drainTo(group, MAX_GROUP - 1);
      boolean stop = group.remove(STOP);
      if (!group.isEmpty()) {
        commit(group);
      }
      if (stop) {
        return;
      }
    }
  }

  private void commit(List<Pending> group) {
    List<Object> outcomes = new ArrayList<>(group.size());
    try {
      db.inTransaction(c -> {
        for (Pending p : group) {
          try {
            outcomes.add(db.inTransaction(inner -> writer.insert(inner, p.spec)));
          } catch (RuntimeException refused) {
            outcomes.add(refused);
          }
        }
        return null;
      });
    } catch (RuntimeException failed) {
      log.warn("A group of {} job(s) could not be committed: {}", group.size(), failed.getMessage());
      group.forEach(p -> p.result.completeExceptionally(failed));
      return;
    }
    List<JobWriter.Added> committed = new ArrayList<>(group.size());
    for (int i = 0; i < group.size(); i++) {
      if (outcomes.get(i) instanceof JobWriter.Added added) {
        committed.add(added);
      }
    }
    try {
      afterCommit.accept(committed);
    } finally {
      for (int i = 0; i < group.size(); i++) {
        Object outcome = outcomes.get(i);
        if (outcome instanceof JobWriter.Added added) {
          group.get(i).result.complete(added);
        } else {
          group.get(i).result.completeExceptionally((RuntimeException) outcome);
        }
      }
    }
  }

  /** Answers every add already taken, then stops the committer. Later adds fail at once. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      incoming.add(STOP);
    }
    try {
      committer.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
