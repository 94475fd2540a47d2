package io.tabletap.server.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Leases, their renewal and the stalled check, on a settable clock. */
class StalledJobsTest {
  private static final Duration LEASE = Duration.ofSeconds(30);

  @TempDir Path dir;
  QueueHarness h;
  Queue queue;
  final AtomicInteger runs = new AtomicInteger();

  @BeforeEach
  void open() {
    h = new QueueHarness(dir, List.of(QueueConfig.builder("work").lease(LEASE).maxStalledCount(1).build()));
    queue = h.queue("work");
    queue.handle("job", (job, ctx) -> runs.incrementAndGet());
  }

  @AfterEach
  void close() {
    h.close();
  }

  @Test
  void aJobWhoseWorkerDiedGoesBackToWaitingWhenItsLeaseRunsOut() {
    UUID id = queue.add(JobSpec.builder("work", "job").build()).id();
    Job claimed = queue.claim().orElseThrow(); // the worker dies here
    assertThat(claimed.status()).isEqualTo(JobStatus.ACTIVE);
    assertThat(claimed.leaseUntil()).isEqualTo(QueueHarness.START.plus(LEASE));

    h.advance(LEASE);
    assertThat(queue.checkStalled()).as("the lease holds until its last instant").isEmpty();
    h.advance(Duration.ofMillis(1));
    List<Job> stalled = queue.checkStalled();

    assertThat(stalled).extracting(Job::id).containsExactly(id);
    Job back = h.job(id);
    assertThat(back.status()).isEqualTo(JobStatus.WAITING);
    assertThat(back.stalls()).isEqualTo(1);
    assertThat(back.leaseUntil()).isNull();
    assertThat(back.attemptsMade()).as("a stall is not a failed attempt").isZero();
    assertThat(h.eventNamesFor(id)).containsExactly(JobEvent.ADDED, JobEvent.STALLED);

    assertThat(queue.runOnce().orElseThrow().status()).isEqualTo(JobStatus.COMPLETED);
    assertThat(runs).hasValue(1);
  }

  @Test
  void aJobThatStallsMoreThanTheMaximumFailsWithReasonStalled() {
    UUID id = queue.add(JobSpec.builder("work", "job").attempts(5).build()).id();
    queue.claim().orElseThrow();
    h.advance(LEASE.plusMillis(1));
    queue.checkStalled();
    queue.claim().orElseThrow(); // and its second worker dies too
    h.advance(LEASE.plusMillis(1));

    queue.checkStalled();

    Job failed = h.job(id);
    assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
    assertThat(failed.failedReason()).isEqualTo("stalled");
    assertThat(failed.stalls()).isEqualTo(2);
    assertThat(h.eventNamesFor(id)).containsExactly(JobEvent.ADDED, JobEvent.STALLED, JobEvent.STALLED, JobEvent.FAILED);
    assertThat(queue.runOnce()).isEmpty();
  }

  @Test
  void aWorkerThatComesBackAfterItsJobStalledCannotRecordAnOutcome() {
    List<Boolean> cancelledSeen = new ArrayList<>();
    queue.handle("slow", (job, ctx) -> {
      // the worker hangs past its lease; meanwhile the stalled check takes the job back
      h.advance(LEASE.plusSeconds(1));
      queue.checkStalled();
      cancelledSeen.add(ctx.isCancelled());
      assertThatThrownBy(() -> ctx.progress(50)).isInstanceOf(LeaseLostException.class);
    });
    UUID id = queue.add(JobSpec.builder("work", "slow").build()).id();

    queue.runOnce();

    assertThat(cancelledSeen).containsExactly(true);
    Job job = h.job(id);
    assertThat(job.status()).as("not COMPLETED by the worker that lost it").isEqualTo(JobStatus.WAITING);
    assertThat(job.stalls()).isEqualTo(1);
    assertThat(h.eventNamesFor(id)).doesNotContain(JobEvent.COMPLETED);
  }

  @Test
  void aStaleOutcomeIsRefusedByTheVersion() {
    queue.add(JobSpec.builder("work", "job").build());
    Job mine = queue.claim().orElseThrow();
    h.advance(LEASE.plusMillis(1));
    queue.checkStalled();
    Job theirs = queue.claim().orElseThrow();

    Effects fx = new Effects();
    java.util.Optional<Job> late = h.db.inTransaction(c -> h.queues.outcomes().complete(c, mine, fx));

    assertThat(late).isEmpty();

    assertThat(h.job(mine.id()).status()).isEqualTo(JobStatus.ACTIVE);
    assertThat(h.job(mine.id()).version()).isEqualTo(theirs.version());
  }

  @Test
  void renewingTheLeaseKeepsALongJobFromStalling() {
    queue.handle("long", (job, ctx) -> {
      for (int i = 0; i < 4; i++) {
        h.advance(Duration.ofSeconds(20)); // 80 s in all: well past one lease
        queue.runner().renewLeases();
        assertThat(queue.checkStalled()).isEmpty();
      }
    });
    UUID id = queue.add(JobSpec.builder("work", "long").build()).id();

    Job done = queue.runOnce().orElseThrow();

    assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
    assertThat(done.stalls()).isZero();
    assertThat(h.eventNamesFor(id)).doesNotContain(JobEvent.STALLED);
  }
}
