package io.tabletap.server.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tabletap.server.ServerConfig;
import io.tabletap.server.testing.MutableClock;
import io.tabletap.server.testing.RunningServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The queues inside server-lite: started with it, stopped before its database, durable across a restart. */
class QueuesInServerTest {
  private static final String QUEUE = DefaultQueues.NOTIFICATION_QUEUE;
  private static final UnaryOperator<ServerConfig> ONE_SECOND_GRACE = c -> new ServerConfig(c.dataDir(), c.httpPort(),
      c.bindAddress(), c.httpThreads(), c.httpQueue(), c.dbConnections(), 1, c.payments(), c.realtime(), c.storeInterval());

  @TempDir Path dir;

  @Test
  void aJobRunningWhenTheServerStopsIsReleasedAndRunsAfterTheRestart() throws Exception {
    MutableClock clock = new MutableClock(RunningServer.START);
    CountDownLatch started = new CountDownLatch(1);
    UUID id;
    try (RunningServer first = RunningServer.start(dir, clock, ONE_SECOND_GRACE)) {
      Queue queue = first.server().queues().queue(QUEUE);
      queue.handle("notify", (job, ctx) -> {
        started.countDown();
        new CountDownLatch(1).await(); // hangs until the stop interrupts it
      });
      id = queue.add(JobSpec.builder(QUEUE, "notify").dataJson("{\"cafeId\":\"demo\"}").build()).id();
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    } // close(): HTTP, then the queues (1 s grace, then release), then the database

    CountDownLatch ranAgain = new CountDownLatch(1);
    try (RunningServer second = RunningServer.start(dir, clock, ONE_SECOND_GRACE)) {
      Queue queue = second.server().queues().queue(QUEUE);
      Job released = queue.find(id).orElseThrow();
      assertThat(released.status()).isEqualTo(JobStatus.WAITING);
      assertThat(released.leaseUntil()).isNull();
      assertThat(released.attemptsMade()).isZero();

      queue.handle("notify", (job, ctx) -> ranAgain.countDown());

      assertThat(ranAgain.await(10, TimeUnit.SECONDS)).isTrue();
      await().atMost(Duration.ofSeconds(10)).until(() -> queue.find(id).orElseThrow().status() == JobStatus.COMPLETED);
    }
  }
}
