package io.tabletap.server.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tabletap.server.store.StoreException;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One queue driven step by step with {@code runOnce()} and a settable clock: no threads, no sleeps. */
class QueueTest {
  @TempDir Path dir;
  QueueHarness h;
  Queue queue;
  final List<String> ran = new ArrayList<>();

  @BeforeEach
  void open() {
    h = new QueueHarness(dir, List.of(QueueHarness.plain("work"), QueueHarness.plain("other")));
    queue = h.queue("work");
    queue.handle("say", (job, ctx) -> ran.add(job.data().get("word").asText()));
  }

  @AfterEach
  void close() {
    h.close();
  }

  private static JobSpec.Builder say(String word) {
    return JobSpec.builder("work", "say").dataJson("{\"word\":\"" + word + "\"}");
  }

  private void runAll() {
    while (queue.runOnce().isPresent()) {
      // next
    }
  }

  @Test
  void jobsRunInPriorityOrderThenInTheOrderTheyWereAdded() {
    queue.add(say("five").priority(5).build());
    queue.add(say("one-a").priority(1).build());
    queue.add(say("none").build());
    queue.add(say("one-b").priority(1).build());
    queue.add(say("zero").priority(0).build());

    runAll();

    assertThat(ran).containsExactly("none", "zero", "one-a", "one-b", "five");
  }

  @Test
  void aDelayedJobIsNotClaimableBeforeItsTimeAndIsAfterTheClockMoves() {
    JobWriter.Added added = queue.add(say("later").delay(Duration.ofSeconds(5)).build());
    assertThat(h.job(added.id()).status()).isEqualTo(JobStatus.DELAYED);
    assertThat(h.job(added.id()).runAt()).isEqualTo(QueueHarness.START.plusSeconds(5));

    assertThat(queue.runOnce()).isEmpty();
    h.advance(Duration.ofMillis(4999));
    assertThat(queue.runOnce()).isEmpty();
    assertThat(h.job(added.id()).status()).isEqualTo(JobStatus.DELAYED);

    h.advance(Duration.ofMillis(1));
    assertThat(queue.runOnce()).hasValueSatisfying(j -> assertThat(j.status()).isEqualTo(JobStatus.COMPLETED));
    assertThat(ran).containsExactly("later");
  }

  @Test
  void aDueDelayedJobWaitsItsTurnBehindAHigherPriority() {
    queue.add(say("delayed").delay(Duration.ofSeconds(1)).priority(3).build());
    h.advance(Duration.ofSeconds(2));
    queue.add(say("urgent").priority(1).build());

    runAll();

    assertThat(ran).containsExactly("urgent", "delayed");
  }

  @Test
  void addingAJobIdTheQueueHoldsAddsNothingAndReturnsTheExistingJob() {
    JobWriter.Added first = queue.add(say("once").jobId("payconic:evt_1").build());
    JobWriter.Added again = queue.add(say("twice").jobId("payconic:evt_1").build());
    JobWriter.Added elsewhere = h.queue("other").add(JobSpec.builder("other", "say").jobId("payconic:evt_1").build());

    assertThat(first.created()).isTrue();
    assertThat(again.created()).isFalse();
    assertThat(again.id()).isEqualTo(first.id());
    assertThat(again.job().data().get("word").asText()).isEqualTo("once");
    assertThat(elsewhere.created()).as("the key is unique per queue").isTrue();
    assertThat(queue.counts().get(JobStatus.WAITING)).isEqualTo(1);
    assertThat(h.eventNamesFor(first.id())).containsExactly(JobEvent.ADDED);

    runAll();
    assertThat(ran).containsExactly("once");
    assertThat(queue.add(say("thrice").jobId("payconic:evt_1").build()).created())
        .as("a completed job still holds its key").isFalse();
  }

  @Test
  void aJobWrittenInTheCallersTransactionRollsBackWithIt() {
    assertThatThrownBy(() -> h.db.inTransaction(c -> {
      h.queues.writer().insert(c, say("never").build());
      throw new IllegalStateException("the caller's own write failed");
    })).isInstanceOf(IllegalStateException.class);

    assertThat(queue.counts().values()).allMatch(n -> n == 0);
    assertThat(queue.runOnce()).isEmpty();
  }

  @Test
  void aJobWrittenInTheCallersTransactionIsAnnouncedAfterTheCommit() {
    JobWriter.Added added = h.db.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement("INSERT INTO job_flows (id, status, job_count, remaining, created_at)"
          + " VALUES ('caller-row', 'RUNNING', 1, 1, CURRENT_TIMESTAMP)")) {
        s.executeUpdate(); // stands in for the caller's own row, e.g. a webhook receipt
      }
      return h.queues.writer().insert(c, say("with-receipt").build());
    });
    assertThat(h.eventNames()).as("nothing is announced before afterCommit").isEmpty();

    h.queues.afterCommit(added);

    assertThat(h.eventNames()).containsExactly(JobEvent.ADDED);
    runAll();
    assertThat(ran).containsExactly("with-receipt");
  }

  @Test
  void aFailingJobIsRetriedOnItsFixedScheduleThenFailsForGood() {
    List<Integer> attempts = new ArrayList<>();
    queue.handle("flaky", (job, ctx) -> {
      attempts.add(job.attempt());
      throw new IllegalStateException("gateway timeout");
    });
    JobWriter.Added added = queue.add(JobSpec.builder("work", "flaky").attempts(3)
        .backoff(Backoff.fixed(Duration.ofMillis(1000))).build());

    Job first = queue.runOnce().orElseThrow();
    assertThat(first.status()).isEqualTo(JobStatus.DELAYED);
    assertThat(first.attemptsMade()).isEqualTo(1);
    assertThat(first.runAt()).isEqualTo(QueueHarness.START.plusMillis(1000));
    assertThat(first.failedReason()).isEqualTo("gateway timeout");

    h.advance(Duration.ofMillis(999));
    assertThat(queue.runOnce()).isEmpty();
    h.advance(Duration.ofMillis(1));
    Job second = queue.runOnce().orElseThrow();
    assertThat(second.status()).isEqualTo(JobStatus.DELAYED);
    assertThat(second.runAt()).isEqualTo(QueueHarness.START.plusMillis(2000));

    h.advance(Duration.ofMillis(1000));
    Job last = queue.runOnce().orElseThrow();
    assertThat(last.status()).as("a dead letter").isEqualTo(JobStatus.FAILED);
    assertThat(last.attemptsMade()).isEqualTo(3);
    assertThat(last.finishedAt()).isEqualTo(QueueHarness.START.plusMillis(2000));
    assertThat(attempts).containsExactly(1, 2, 3);
    assertThat(h.eventNamesFor(added.id())).containsExactly(JobEvent.ADDED, JobEvent.ACTIVE, JobEvent.RETRYING,
        JobEvent.ACTIVE, JobEvent.RETRYING, JobEvent.ACTIVE, JobEvent.FAILED);
    assertThat(h.eventsOf(JobEvent.class).stream().filter(e -> e.name().equals(JobEvent.FAILED)).findFirst().orElseThrow()
        .reason()).isEqualTo("gateway timeout");
    h.advance(Duration.ofDays(1));
    assertThat(queue.runOnce()).isEmpty();
  }

  @Test
  void exponentialBackoffWaitsTwiceAsLongAfterEachFailure() {
    queue.handle("flaky", (job, ctx) -> {
      throw new IllegalStateException("down");
    });
    queue.add(JobSpec.builder("work", "flaky").attempts(4).backoff(Backoff.exponential(Duration.ofMillis(2000))).build());

    List<Long> waits = new ArrayList<>();
    Job job = queue.runOnce().orElseThrow();
    while (job.status() == JobStatus.DELAYED) {
      Duration wait = Duration.between(h.clock.instant(), job.runAt());
      waits.add(wait.toMillis());
      h.advance(wait.minusMillis(1));
      assertThat(queue.runOnce()).as("not a millisecond early").isEmpty();
      h.advance(Duration.ofMillis(1));
      job = queue.runOnce().orElseThrow();
    }

    assertThat(waits).containsExactly(2000L, 4000L, 8000L);
    assertThat(job.status()).isEqualTo(JobStatus.FAILED);
  }

  @Test
  void jitterTakesTheRetryWithinItsBounds() {
    h.close();
    h = new QueueHarness(dir.resolve("jitter"), List.of(QueueHarness.plain("work")), () -> 0.0);
    queue = h.queue("work");
    queue.handle("flaky", (job, ctx) -> {
      throw new IllegalStateException("down");
    });
    queue.add(JobSpec.builder("work", "flaky").attempts(2)
        .backoff(Backoff.exponential(Duration.ofMillis(2000)).withJitter(0.25)).build());

    Job retry = queue.runOnce().orElseThrow();

    assertThat(retry.runAt()).as("the low end: 2000 × (1 − 0.25)").isEqualTo(QueueHarness.START.plusMillis(1500));
  }

  @Test
  void aJobThatFailsOnceThenSucceedsCompletesOnItsSecondAttempt() {
    queue.handle("second-time-lucky", (job, ctx) -> {
      if (job.attempt() == 1) {
        throw new IllegalStateException("first");
      }
    });
    queue.add(JobSpec.builder("work", "second-time-lucky").attempts(2).build());

    assertThat(queue.runOnce().orElseThrow().status()).as("no backoff: at once").isEqualTo(JobStatus.WAITING);
    Job done = queue.runOnce().orElseThrow();

    assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
    assertThat(done.attemptsMade()).isEqualTo(2);
    assertThat(done.failedReason()).as("the last failure stays readable").isEqualTo("first");
  }

  @Test
  void anUnrecoverableFailureFailsAtOnceWhateverAttemptsAreLeft() {
    queue.handle("bad-payload", (job, ctx) -> {
      throw new UnrecoverableJobException("payload version 9 is unknown");
    });
    queue.add(JobSpec.builder("work", "bad-payload").attempts(5).payloadVersion(9).build());

    Job failed = queue.runOnce().orElseThrow();

    assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
    assertThat(failed.attemptsMade()).isEqualTo(1);
    assertThat(failed.failedReason()).isEqualTo("payload version 9 is unknown");
  }

  @Test
  void progressIsStoredOnTheJobAndPublished() {
    List<Integer> seenInTheTable = new ArrayList<>();
    queue.handle("steps", (job, ctx) -> {
      for (int p : new int[] {10, 50, 80, 100}) {
        ctx.progress(p);
        seenInTheTable.add(h.job(job.id()).progress());
      }
      assertThatThrownBy(() -> ctx.progress(101)).isInstanceOf(IllegalArgumentException.class);
    });
    UUID id = queue.add(JobSpec.builder("work", "steps").dataJson("{\"cafeId\":\"demo\"}").build()).id();

    queue.runOnce();

    assertThat(seenInTheTable).containsExactly(10, 50, 80, 100);
    assertThat(h.job(id).progress()).isEqualTo(100);
    List<JobEvent> progress = h.eventsOf(JobEvent.class).stream().filter(e -> e.name().equals(JobEvent.PROGRESS)).toList();
    assertThat(progress).extracting(JobEvent::progress).containsExactly(10, 50, 80, 100);
    assertThat(progress).allSatisfy(e -> assertThat(e.cafeId()).isEqualTo("demo"));
  }

  @Test
  void eventsFollowAJobAndCarryTheCafeOfItsDataOrNone() {
    UUID ofCafe = queue.add(say("a").dataJson("{\"word\":\"a\",\"cafeId\":\"demo\"}").build()).id();
    UUID ofNone = queue.add(say("b").build()).id();

    runAll();

    assertThat(h.eventNamesFor(ofCafe)).containsExactly(JobEvent.ADDED, JobEvent.ACTIVE, JobEvent.COMPLETED);
    assertThat(h.eventsOf(JobEvent.class)).filteredOn(e -> e.jobId().equals(ofCafe)).extracting(JobEvent::cafeId)
        .containsOnly("demo");
    assertThat(h.eventsOf(JobEvent.class)).filteredOn(e -> e.jobId().equals(ofNone)).extracting(JobEvent::cafeId)
        .containsOnlyNulls();
    assertThat(h.job(ofCafe).cafeId()).isEqualTo("demo");
  }

  @Test
  void removeOnCompleteKeepsOnlyTheNewestCompletedJobs() {
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      ids.add(queue.add(say("w" + i).removeOnComplete(Retention.keepNewest(3)).build()).id());
      h.advance(Duration.ofMillis(1));
    }

    runAll();

    assertThat(queue.counts().get(JobStatus.COMPLETED)).isEqualTo(3);
    assertThat(ids.subList(7, 10)).allMatch(h::exists);
    assertThat(ids.subList(0, 7)).noneMatch(h::exists);
  }

  @Test
  void removeOnCompleteByAgeDropsJobsFinishedLongerAgo() {
    UUID old = queue.add(say("old").removeOnComplete(Retention.keepFor(Duration.ofHours(1))).build()).id();
    runAll();
    h.advance(Duration.ofMinutes(61));
    UUID fresh = queue.add(say("fresh").removeOnComplete(Retention.keepFor(Duration.ofHours(1))).build()).id();

    runAll();

    assertThat(h.exists(old)).isFalse();
    assertThat(h.exists(fresh)).isTrue();
  }

  @Test
  void removeOnFailKeepsTheNewestDeadLettersAndRemoveAtOnceKeepsNone() {
    queue.handle("fails", (job, ctx) -> {
      throw new IllegalStateException("no");
    });
    for (int i = 0; i < 5; i++) {
      queue.add(JobSpec.builder("work", "fails").removeOnFail(Retention.keepNewest(2)).build());
    }
    queue.add(say("gone").removeOnComplete(Retention.removeAtOnce()).build());

    runAll();

    assertThat(queue.counts().get(JobStatus.FAILED)).isEqualTo(2);
    assertThat(queue.counts().get(JobStatus.COMPLETED)).isZero();
  }

  @Test
  void aJobKeptForNoTimeIsGoneOnceItsRunReturnsWithItsEventsPublished() {
    queue.handle("fails", (job, ctx) -> {
      throw new IllegalStateException("no");
    });
    UUID done = queue.add(say("gone").removeOnComplete(Retention.removeAtOnce()).build()).id();
    UUID dead = queue.add(JobSpec.builder("work", "fails").attempts(1).removeOnFail(Retention.removeAtOnce()).build()).id();

    // deleted in the transaction that finished it (Outcomes.retain), whether it completed or failed
    assertThat(queue.runOnce()).get().extracting(Job::status).isEqualTo(JobStatus.COMPLETED);
    assertThat(h.exists(done)).isFalse();
    assertThat(queue.runOnce()).get().extracting(Job::status).isEqualTo(JobStatus.FAILED);
    assertThat(h.exists(dead)).isFalse();
    assertThat(h.eventNamesFor(done)).containsExactly(JobEvent.ADDED, JobEvent.ACTIVE, JobEvent.COMPLETED);
    assertThat(h.eventNamesFor(dead)).contains(JobEvent.FAILED);
  }

  @Test
  void aQueueClaimsOnlyJobsItHasAHandlerFor() {
    UUID unknown = queue.add(JobSpec.builder("work", "nobody-handles-this").build()).id();

    assertThat(queue.runOnce()).isEmpty();
    assertThat(h.job(unknown).status()).isEqualTo(JobStatus.WAITING);
  }

  @Test
  void aJobForAQueueThatDoesNotExistIsRefused() {
    assertThatThrownBy(() -> h.db.inTransaction(c -> h.queues.writer().insert(c, JobSpec.builder("nowhere", "x").build())))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nowhere");
    assertThatThrownBy(() -> queue.add(JobSpec.builder("other", "say").build())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> say("x").priority(-1).build()).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JobSpec.builder("work", "say").dataJson("[1,2]").build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theTransitionTableInJavaIsTheOneInTheDatabase() {
    Map<String, Set<String>> inDatabase = h.db.read(c -> {
      Map<String, Set<String>> table = new java.util.TreeMap<>();
      try (PreparedStatement s = c.prepareStatement("SELECT from_status, to_status FROM job_transitions");
          ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          table.computeIfAbsent(rs.getString(1), k -> new java.util.TreeSet<>()).add(rs.getString(2));
        }
      }
      return table;
    });
    Map<String, Set<String>> inJava = new java.util.TreeMap<>();
    inJava.put(JobStatus.NEW, names(JobStatus.initial()));
    Map<JobStatus, Set<JobStatus>> next = new EnumMap<>(JobStatus.class);
    for (JobStatus s : JobStatus.values()) {
      next.put(s, s.next());
      if (!s.next().isEmpty()) {
        inJava.put(s.name(), names(s.next()));
      }
    }

    assertThat(inDatabase).isEqualTo(inJava);
    assertThat(next.get(JobStatus.COMPLETED)).as("completed is final").isEmpty();
  }

  private static Set<String> names(Set<JobStatus> statuses) {
    Set<String> names = new java.util.TreeSet<>();
    statuses.forEach(s -> names.add(s.name()));
    return names;
  }

  @Test
  void theDatabaseRefusesAMoveThatIsNotInTheTable() {
    UUID id = queue.add(say("done").build()).id();
    runAll();

    assertThatThrownBy(() -> h.db.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement("UPDATE jobs SET previous_status = status, status = 'WAITING' WHERE id = ?")) {
        s.setObject(1, id);
        return s.executeUpdate();
      }
    })).isInstanceOf(StoreException.class);
    assertThat(h.job(id).status()).isEqualTo(JobStatus.COMPLETED);
    assertThat(EnumSet.allOf(JobStatus.class)).allSatisfy(s -> assertThat(JobStatus.COMPLETED.canMoveTo(s)).isFalse());
  }
}
