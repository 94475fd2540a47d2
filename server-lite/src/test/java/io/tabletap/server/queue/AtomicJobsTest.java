package io.tabletap.server.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Atomic handlers (JobHandler#atomic): the handler's writes commit with the job's completion or
 * not at all, alone or in a batch of jobs that share one transaction.
 */
class AtomicJobsTest {
  @TempDir Path dir;
  QueueHarness h;
  Queue queue;
  final Set<Integer> failOnce = ConcurrentHashMap.newKeySet();
  final Set<Integer> failAlways = ConcurrentHashMap.newKeySet();

  @BeforeEach
  void open() {
    h = new QueueHarness(dir, List.of(QueueConfig.builder("work").concurrency(1)
        .defaults(new JobDefaults(2, Backoff.none(), Retention.KEEP_ALL, Retention.KEEP_ALL)).build()));
    h.db.inTransaction(c -> c.createStatement().execute("CREATE TABLE done (n INT PRIMARY KEY)"));
    queue = h.queue("work");
    queue.handle("write", JobHandler.atomically((job, ctx) -> {
      int n = job.data().get("n").asInt();
      insert(n);
      if (failAlways.contains(n) || failOnce.remove(n)) {
        throw new IllegalStateException("job " + n + " refuses");
      }
    }));
  }

  @AfterEach
  void close() {
    h.close();
  }

  @Test
  void aFailedAttemptLeavesNothingAndTheRetryWritesOnce() {
    failOnce.add(1);
    UUID id = queue.add(write(1)).id();

    assertThat(queue.runOnce()).hasValueSatisfying(j -> assertThat(j.status()).isEqualTo(JobStatus.WAITING));
    assertThat(rows()).as("the failed attempt's write was rolled back").isEmpty();
    assertThat(h.job(id).failedReason()).isEqualTo("job 1 refuses");

    assertThat(queue.runOnce()).hasValueSatisfying(j -> assertThat(j.status()).isEqualTo(JobStatus.COMPLETED));
    assertThat(rows()).containsExactly(1);
  }

  @Test
  void aJobTakenBackWhileItRanLeavesNothingOfItsWork() throws Exception {
    ExecutorService other = Executors.newSingleThreadExecutor();
    try {
      queue.handle("stall", JobHandler.atomically((job, ctx) -> {
        insert(70);
        // meanwhile the lease runs out and the stalled check (another thread) gives the job back
        h.advance(queue.config().lease().plusSeconds(1));
        assertThat(other.submit(queue::checkStalled).get()).hasSize(1);
      }));
      UUID stalled = queue.add(JobSpec.builder("work", "stall").build()).id();
      UUID id = queue.add(write(7)).id(); // waits behind it

      assertThat(queue.runOnce()).hasValueSatisfying(j -> assertThat(j.id()).isEqualTo(stalled));
      assertThat(h.job(stalled).status()).as("back in the queue, not completed").isEqualTo(JobStatus.WAITING);
      assertThat(rows()).as("its write was undone with the completion").isEmpty();
      assertThat(h.job(id).status()).isEqualTo(JobStatus.WAITING);
    } finally {
      other.shutdownNow();
    }
  }

  @Test
  void aLeaseRenewalWhileABatchRunsLeavesTheBatchItsJobs() throws Exception {
    ExecutorService other = Executors.newSingleThreadExecutor();
    try {
      queue.handle("renewed", JobHandler.atomically((job, ctx) -> {
        insert(80);
        // the renewal timer fires meanwhile: the batch's claims are not committed yet, so every
        // other connection sees the job WAITING; that must not count as a claim taken back
        other.submit(queue::renewLeases).get();
      }));
      UUID id = queue.add(JobSpec.builder("work", "renewed").build()).id();

      h.queues.start();

      await().atMost(Duration.ofSeconds(10)).until(() -> h.job(id).status() == JobStatus.COMPLETED);
      assertThat(rows()).containsExactly(80);
      assertThat(h.job(id).stalls()).isZero();
      assertThat(h.job(id).attemptsMade()).isEqualTo(1);
    } finally {
      other.shutdownNow();
    }
  }

  @Test
  void inABatchAFailingJobIsUndoneAloneAndTheOthersCommit() {
    failAlways.add(3);
    failOnce.add(5);
    List<UUID> ids = new ArrayList<>();
    for (int n = 0; n < 10; n++) {
      ids.add(queue.add(write(n)).id());
    }

    h.queues.start(); // all ten wait already: the worker claims them as one batch

    await().atMost(Duration.ofSeconds(30)).until(() -> queue.counts().get(JobStatus.COMPLETED) == 9
        && queue.counts().get(JobStatus.FAILED) == 1);
    assertThat(rows()).containsExactly(0, 1, 2, 4, 5, 6, 7, 8, 9);
    assertThat(h.job(ids.get(3)).failedReason()).isEqualTo("job 3 refuses");
    assertThat(h.job(ids.get(3)).attemptsMade()).isEqualTo(2);
    assertThat(h.job(ids.get(5)).attemptsMade()).as("failed once, then completed").isEqualTo(2);
  }

  private static JobSpec write(int n) {
    return JobSpec.builder("work", "write").dataJson("{\"n\":" + n + "}").build();
  }

  private void insert(int n) {
    h.db.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement("INSERT INTO done VALUES (?)")) {
        s.setInt(1, n);
        return s.executeUpdate();
      }
    });
  }

  private List<Integer> rows() {
    return h.db.read(c -> {
      List<Integer> rows = new ArrayList<>();
      try (ResultSet rs = c.createStatement().executeQuery("SELECT n FROM done ORDER BY n")) {
        while (rs.next()) {
          rows.add(rs.getInt(1));
        }
      }
      return rows;
    });
  }
}
