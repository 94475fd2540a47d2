package io.tabletap.server.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The threaded mode: worker threads, wake-ups, many workers on one table, graceful shutdown. */
class ThreadedQueueTest {
  private static final Logger log = LoggerFactory.getLogger(ThreadedQueueTest.class);

  @TempDir Path dir;
  QueueHarness h;

  @AfterEach
  void close() {
    if (h != null) {
      h.close();
    }
  }

  @Test
  void eightWorkersCompleteTenThousandJobsEachExactlyOnce() throws Exception {
    int jobs = 10_000;
    h = new QueueHarness(dir, List.of(QueueConfig.builder("bulk").concurrency(8).build()));
    Queue queue = h.queue("bulk");
    Map<UUID, AtomicInteger> runs = new ConcurrentHashMap<>();
    CountDownLatch allDone = new CountDownLatch(jobs);
    queue.handle("count", (job, ctx) -> {
      if (runs.computeIfAbsent(job.id(), id -> new AtomicInteger()).incrementAndGet() == 1) {
        allDone.countDown();
      }
    });
    List<JobSpec> specs = new ArrayList<>(jobs);
    for (int i = 0; i < jobs; i++) {
      specs.add(JobSpec.builder("bulk", "count").dataJson("{\"n\":" + i + "}").build());
    }
    List<UUID> ids = new ArrayList<>();
    for (int from = 0; from < jobs; from += 1000) {
      queue.addBulk(specs.subList(from, from + 1000)).forEach(a -> ids.add(a.id()));
    }

    long started = System.nanoTime();
    h.queues.start();
    assertThat(allDone.await(60, TimeUnit.SECONDS)).as("all jobs ran within a minute").isTrue();
    await().atMost(Duration.ofSeconds(30)).until(() -> queue.counts().get(JobStatus.COMPLETED) == jobs);
    double seconds = (System.nanoTime() - started) / 1e9;

    String line = String.format("queue throughput: %d jobs, 8 workers, %.2f s, %.0f jobs/s", jobs, seconds, jobs / seconds);
    System.out.println(line); // the measured number belongs in the test output
    log.info(line);
    assertThat(runs).hasSize(jobs);
    assertThat(runs.keySet()).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(runs.values()).allSatisfy(n -> assertThat(n.get()).as("handler calls per job").isEqualTo(1));
    Map<JobStatus, Long> counts = queue.counts();
    assertThat(counts.get(JobStatus.COMPLETED)).isEqualTo(jobs);
    assertThat(counts.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(jobs);
    assertThat(h.eventNames()).filteredOn(JobEvent.COMPLETED::equals).hasSize(jobs);
  }

  @Test
  void anAddedJobStartsAtOnceNotOnTheNextPoll() throws Exception {
    h = new QueueHarness(dir, List.of(QueueConfig.builder("fast").pollInterval(Duration.ofMinutes(10)).build()));
    Queue queue = h.queue("fast");
    Map<UUID, Long> committedAt = new ConcurrentHashMap<>();
    h.bus.subscribe(JobEvent.class, e -> {
      if (e.name().equals(JobEvent.ADDED)) {
        committedAt.put(e.jobId(), System.nanoTime()); // published right after the commit, before the wake
      }
    });
    List<Double> latenciesMs = new ArrayList<>();
    AtomicReference<CountDownLatch> started = new AtomicReference<>();
    queue.handle("go", (job, ctx) -> {
      // a worker still in its loop may claim the job as soon as it is committed, before the
      // committer thread has published job.added: then it started with no wait at all
      Long at = committedAt.get(job.id());
      latenciesMs.add(at == null ? 0.0 : (System.nanoTime() - at) / 1e6);
      started.get().countDown();
    });
    h.queues.start();

    for (int i = 0; i < 21; i++) {
      started.set(new CountDownLatch(1));
      queue.add(JobSpec.builder("fast", "go").build());
      assertThat(started.get().await(5, TimeUnit.SECONDS)).as("started long before the 10 minute poll").isTrue();
      await().atMost(Duration.ofSeconds(5)).until(() -> queue.runner().runningCount() == 0);
    }

    List<Double> woken = new ArrayList<>(latenciesMs.subList(1, latenciesMs.size())); // the first may beat the first sleep
    woken.sort(null);
    String line = String.format("queue wake-up: commit to handler start, median %.2f ms, max %.2f ms (%d jobs)",
        woken.get(woken.size() / 2), woken.get(woken.size() - 1), woken.size());
    System.out.println(line);
    log.info(line);
    assertThat(woken.get(woken.size() - 1)).isLessThan(1000.0);
  }

  @Test
  void aJobWrittenInACallersTransactionStartsOnceTheCallerWakesItsQueue() throws Exception {
    h = new QueueHarness(dir, List.of(QueueConfig.builder("tx").pollInterval(Duration.ofMinutes(10)).build()));
    CountDownLatch ran = new CountDownLatch(1);
    h.queue("tx").handle("go", (job, ctx) -> ran.countDown());
    h.queues.start();

    JobWriter.Added added = h.db.inTransaction(c -> h.queues.writer().insert(c, JobSpec.builder("tx", "go").build()));
    h.queues.afterCommit(added);

    assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void closingLetsRunningJobsFinishWithinTheGraceAndReleasesTheRest() throws Exception {
    h = new QueueHarness(dir, List.of(QueueConfig.builder("work").concurrency(2).build()));
    Queue queue = h.queue("work");
    CountDownLatch bothRunning = new CountDownLatch(2);
    CountDownLatch finishPolite = new CountDownLatch(1);
    CountDownLatch stubbornInterrupted = new CountDownLatch(1);
    queue.handle("polite", (job, ctx) -> {
      bothRunning.countDown();
      finishPolite.await();
    });
    queue.handle("stubborn", (job, ctx) -> {
      bothRunning.countDown();
      try {
        new CountDownLatch(1).await(); // never ends by itself
      } catch (InterruptedException e) {
        stubbornInterrupted.countDown();
        throw e;
      }
    });
    UUID polite = queue.add(JobSpec.builder("work", "polite").build()).id();
    UUID stubborn = queue.add(JobSpec.builder("work", "stubborn").attempts(3).build()).id();
    h.queues.start();
    assertThat(bothRunning.await(5, TimeUnit.SECONDS)).isTrue();
    UUID waiting = queue.add(JobSpec.builder("work", "polite").build()).id(); // both workers are busy

    ExecutorService closer = Executors.newSingleThreadExecutor();
    try {
      Future<?> closing = closer.submit(() -> h.queues.close(Duration.ofSeconds(1)));
      await().atMost(Duration.ofSeconds(5)).until(h.queues::isStopping);
      finishPolite.countDown(); // finishes inside the grace period
      closing.get(10, TimeUnit.SECONDS);
    } finally {
      closer.shutdownNow();
    }

    assertThat(h.job(polite).status()).isEqualTo(JobStatus.COMPLETED);
    Job released = h.job(stubborn);
    assertThat(released.status()).isEqualTo(JobStatus.WAITING);
    assertThat(released.leaseUntil()).isNull();
    assertThat(released.attemptsMade()).as("a release is not a failed attempt").isZero();
    assertThat(released.stalls()).isZero();
    assertThat(stubbornInterrupted.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(h.job(waiting).status()).as("no claims once closing").isEqualTo(JobStatus.WAITING);
    assertThat(h.eventNamesFor(stubborn)).doesNotContain(JobEvent.FAILED, JobEvent.RETRYING, JobEvent.COMPLETED);
  }
}
