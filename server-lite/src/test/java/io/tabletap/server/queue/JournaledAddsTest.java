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
