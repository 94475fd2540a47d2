package io.tabletap.server.order;

import static org.assertj.core.api.Assertions.assertThat;

import io.tabletap.server.device.Role;
import io.tabletap.server.testing.RunningServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Order numbers are what the customer is called by: never two the same, never a gap. */
class ConcurrentOrderNumbersTest {
  private static final int THREADS = 12;
  private static final int ORDERS_PER_THREAD = 15;
  private static final String ORDER =
      "{\"type\":\"TAKEAWAY\",\"lines\":[{\"itemId\":\"long-black\",\"quantity\":1,\"options\":[\"size-small\"]}]}";

  @TempDir Path dir;

  @Test
  void ordersPlacedAtTheSameMomentGetDistinctGapFreeNumbersForTheDay() throws Exception {
    try (RunningServer server = RunningServer.start(dir)) {
      String cashier = server.token(Role.CASHIER);

      List<Integer> firstDay = placeAllAtOnce(server, cashier);
      server.clock.advance(Duration.ofDays(1));
      List<Integer> secondDay = placeAllAtOnce(server, cashier);

      List<Integer> oneToN = IntStream.rangeClosed(1, THREADS * ORDERS_PER_THREAD).boxed().toList();
      assertThat(firstDay).containsExactlyInAnyOrderElementsOf(oneToN);
      assertThat(secondDay).as("a new business day starts again at 1").containsExactlyInAnyOrderElementsOf(oneToN);
    }
  }

  /** Every thread waits at a gate, then places its orders as fast as the server answers. */
  private static List<Integer> placeAllAtOnce(RunningServer server, String token) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    CountDownLatch ready = new CountDownLatch(THREADS);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<List<Integer>>> futures = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        futures.add(pool.submit(() -> {
          ready.countDown();
          go.await();
          List<Integer> numbers = new ArrayList<>();
          for (int i = 0; i < ORDERS_PER_THREAD; i++) {
            RunningServer.Reply reply = server.postJson("/api/orders", token, ORDER);
            assertThat(reply.status()).as(reply.raw()).isEqualTo(201);
            numbers.add(reply.json().get("orderNumber").asInt());
          }
          return numbers;
        }));
      }
      assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
      go.countDown();
      List<Integer> all = new ArrayList<>();
      for (Future<List<Integer>> future : futures) {
        all.addAll(future.get(30, TimeUnit.SECONDS));
      }
      return all;
    } finally {
      pool.shutdownNow();
    }
  }
}
