package io.tabletap.server.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Adds through the journal (decision 0021): answered once the record is written, run by the next
 * batch, deduplicated while they wait, counted as WAITING, and run after a restart if the process
 * stopped before a batch wrote them into H2.
 */
class JournaledAddsTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;
  QueueHarness h;

  @AfterEach
  void close() {
    if (h != null) {
      h.close();
    }
  }

  private static QueueConfig batching() {
    return QueueConfig.builder("inbox").concurrency(1).build();
  }

  private static JobSpec spec(String key) {
    return JobSpec.builder("inbox", "take").dataJson("{\"key\":\"" + key + "\"}").jobId(key).rememberKey().build();
  }

  private Map<String, AtomicInteger> countingHandler(Queue queue, CountDownLatch gate) {
    Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    queue.handle("take", JobHandler.atomically((job, ctx) -> {
      gate.await(WAIT.toSeconds(), TimeUnit.SECONDS);
      runs.computeIfAbsent(job.data().get("key").asText(), k -> new AtomicInteger()).incrementAndGet();
    }));
    return runs;
  }

  @Test
  void aJournaledAddRunsOnceAndItsKeyFindsItWhileItWaitsAndAfter() throws Exception {
    h = new QueueHarness(dir.resolve("db"), List.of(batching()), dir.resolve("journal"));
    Queue queue = h.queue("inbox");
    CountDownLatch gate = new CountDownLatch(1);
    Map<String, AtomicInteger> runs = countingHandler(queue, gate);
    h.queues.start();

    JobWriter.Added first = queue.add(spec("evt_1"));
    assertThat(first.created()).isTrue();
    // the worker holds it (its handler waits at the gate) and H2 has no row of it yet
    JobWriter.Added again = queue.add(spec("evt_1"));
    assertThat(again.created()).isFalse();
    assertThat(again.id()).isEqualTo(first.id());

    gate.countDown();
    await().atMost(WAIT).until(() -> h.exists(first.id()) && h.job(first.id()).status() == JobStatus.COMPLETED);
    JobWriter.Added later = queue.add(spec("evt_1"));
    assertThat(later.created()).isFalse();
    assertThat(later.id()).isEqualTo(first.id());
    assertThat(runs.get("evt_1").get()).isEqualTo(1);
    assertThat(h.eventNamesFor(first.id())).startsWith(JobEvent.ADDED).contains(JobEvent.COMPLETED);
  }

  @Test
  void jobsWaitingInTheJournalCountAsWaiting() throws Exception {
    h = new QueueHarness(dir.resolve("db"), List.of(batching()), dir.resolve("journal"));
    Queue queue = h.queue("inbox");
    CountDownLatch gate = new CountDownLatch(1);
    countingHandler(queue, gate);
    h.queues.start();

    queue.add(spec("evt_0"));
    await().atMost(WAIT).until(() -> queue.runner().laneSize() == 0); // the worker took it and waits at the gate
    for (int i = 1; i <= 3; i++) {
      queue.add(spec("evt_" + i));
    }
    assertThat(queue.counts().get(JobStatus.WAITING)).isEqualTo(3);
    gate.countDown();
    await().atMost(WAIT).until(() -> queue.counts().get(JobStatus.COMPLETED) == 4);
    assertThat(queue.counts().get(JobStatus.WAITING)).isZero();
  }

  @Test
  void jobsJournaledBeforeAStopRunOnceAfterTheRestartAndKnownOnesNotAgain() throws Exception {
    Path journalDir = dir.resolve("journal");
    UUID done;
    // first run: evt_known goes through H2 and completes
    h = new QueueHarness(dir.resolve("db"), List.of(batching()), journalDir);
    Map<String, AtomicInteger> firstRuns = countingHandler(h.queue("inbox"), new CountDownLatch(0));
    h.queues.start();
    done = h.queue("inbox").add(spec("evt_known")).id();
    await().atMost(WAIT).until(() -> h.exists(done) && h.job(done).status() == JobStatus.COMPLETED);
    h.close();
    h = null;
    assertThat(firstRuns.get("evt_known").get()).isEqualTo(1);
    // what a kill -9 right after two answers leaves: records no batch wrote into H2; one of them
    // repeats a key H2 has (a journal replayed twice, say)
    UUID fresh = UUID.randomUUID();
    try (AddJournal journal = AddJournal.open(journalDir)) {
      journal.append(fresh, QueueHarness.START, spec("evt_new"));
      journal.append(UUID.randomUUID(), QueueHarness.START, spec("evt_known"));
    }

    h = new QueueHarness(dir.resolve("db"), List.of(batching()), journalDir);
    Queue queue = h.queue("inbox");
    Map<String, AtomicInteger> runs = countingHandler(queue, new CountDownLatch(0));
    // before the workers start, the waiting record already answers for its key
    JobWriter.Added duplicate = queue.add(spec("evt_new"));
    assertThat(duplicate.created()).isFalse();
    assertThat(duplicate.id()).isEqualTo(fresh);
    h.queues.start();
    await().atMost(WAIT).until(() -> h.exists(fresh) && h.job(fresh).status() == JobStatus.COMPLETED);
    await().atMost(WAIT).until(() -> queue.runner().laneSize() == 0);
    assertThat(runs.get("evt_new").get()).isEqualTo(1);
    assertThat(runs).doesNotContainKey("evt_known");
    h.close();
    h = null;
    try (AddJournal journal = AddJournal.open(journalDir)) {
      assertThat(journal.unapplied()).as("every record applied").isEmpty();
    }
  }

  /** A queue that deletes a completed job at once, as webhook-processing does (decision 0022), retrying after 1 s. */
  private static QueueConfig removingAtOnce() {
    return QueueConfig.builder("inbox").concurrency(1)
        .defaults(new JobDefaults(2, Backoff.fixed(Duration.ofSeconds(1)), Retention.removeAtOnce(), Retention.KEEP_ALL))
        .build();
  }

  /** A job no worker takes (no handler), written straight into H2: its row's seq shows how many rows were made. */
  private static JobSpec marker(String name) {
    return JobSpec.builder("inbox", name).dataJson("{}").build();
  }

  @Test
  void aJobItsQueueDeletesOnCompletionRunsWithoutEverHavingARow() throws Exception {
    h = new QueueHarness(dir.resolve("db"), List.of(removingAtOnce()), dir.resolve("journal"));
    Queue queue = h.queue("inbox");
    Map<String, AtomicInteger> runs = countingHandler(queue, new CountDownLatch(0));
    h.queues.start();
    long before = h.job(queue.add(marker("before")).id()).seq();

    List<UUID> ids = List.of(queue.add(spec("evt_1")).id(), queue.add(spec("evt_2")).id(), queue.add(spec("evt_3")).id());
    for (UUID id : ids) {
      await().atMost(WAIT).until(() -> h.eventNamesFor(id).contains(JobEvent.COMPLETED));
    }

    long after = h.job(queue.add(marker("after")).id()).seq();
    assertThat(after).as("no row was made for the three jobs between the markers").isEqualTo(before + 1);
    assertThat(ids).noneMatch(h::exists);
    assertThat(h.eventNamesFor(ids.get(0))).containsExactly(JobEvent.ADDED, JobEvent.ACTIVE, JobEvent.COMPLETED);
    assertThat(runs.values()).allMatch(n -> n.get() == 1).hasSize(3);
    JobWriter.Added again = queue.add(spec("evt_2"));
    assertThat(again.created()).isFalse();
    assertThat(again.id()).as("its key is remembered").isEqualTo(ids.get(1));
  }

  @Test
  void aFailedFirstAttemptOfAJobWithoutARowIsStoredWithTheAttemptCounted() throws Exception {
    h = new QueueHarness(dir.resolve("db"), List.of(removingAtOnce()), dir.resolve("journal"));
    Queue queue = h.queue("inbox");
    AtomicInteger attempts = new AtomicInteger();
    queue.handle("take", JobHandler.atomically((job, ctx) -> {
      if (attempts.incrementAndGet() == 1) {
        throw new IllegalStateException("the provider is down");
      }
    }));
    h.queues.start();

    UUID id = queue.add(spec("evt_1")).id();

    await().atMost(WAIT).until(() -> h.exists(id));
    Job stored = h.job(id);
    assertThat(stored.status()).isEqualTo(JobStatus.DELAYED);
    assertThat(stored.attemptsMade()).isEqualTo(1);
    assertThat(stored.failedReason()).isEqualTo("the provider is down");
    assertThat(stored.runAt()).isEqualTo(QueueHarness.START.plusSeconds(1));
    assertThat(h.eventNamesFor(id)).containsExactly(JobEvent.ADDED, JobEvent.ACTIVE, JobEvent.RETRYING);
    assertThat(queue.add(spec("evt_1")).id()).isEqualTo(id);

    h.advance(Duration.ofSeconds(1));
    queue.wake();
    await().atMost(WAIT).until(() -> h.eventNamesFor(id).contains(JobEvent.COMPLETED));
    assertThat(attempts.get()).isEqualTo(2);
    assertThat(h.exists(id)).as("completed, so deleted at once").isFalse();
  }

  @Test
  void aRecordReplayedAfterItsJobRanWithoutARowDoesNotRunAgain() throws Exception {
    Path journalDir = dir.resolve("journal");
    h = new QueueHarness(dir.resolve("db"), List.of(removingAtOnce()), journalDir);
    countingHandler(h.queue("inbox"), new CountDownLatch(0));
    h.queues.start();
    UUID done = h.queue("inbox").add(spec("evt_1")).id();
    await().atMost(WAIT).until(() -> h.eventNamesFor(done).contains(JobEvent.COMPLETED));
    h.close();
    h = null;
    try (AddJournal journal = AddJournal.open(journalDir)) {
      journal.append(done, QueueHarness.START, spec("evt_1")); // as if its record had outlived the commit
    }

    h = new QueueHarness(dir.resolve("db"), List.of(removingAtOnce()), journalDir);
    Map<String, AtomicInteger> runs = countingHandler(h.queue("inbox"), new CountDownLatch(0));
    h.queues.start();
    UUID later = h.queue("inbox").add(spec("evt_2")).id();
    await().atMost(WAIT).until(() -> h.eventNamesFor(later).contains(JobEvent.COMPLETED));

    assertThat(runs).containsOnlyKeys("evt_2");
  }

  @Test
  void withoutRunningWorkersAnAddCommitsToH2First() {
    h = new QueueHarness(dir.resolve("db"), List.of(batching()), dir.resolve("journal"));
    Queue queue = h.queue("inbox");
    countingHandler(queue, new CountDownLatch(0));
    // not started: nobody would take it from the journal, so it is written into H2 at once
    JobWriter.Added added = queue.add(spec("evt_1"));
    assertThat(h.exists(added.id())).isTrue();
    assertThat(queue.runner().laneSize()).isZero();
  }
}
