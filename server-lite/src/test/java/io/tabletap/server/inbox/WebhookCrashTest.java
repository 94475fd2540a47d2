package io.tabletap.server.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tabletap.server.ServerConfig;
import io.tabletap.server.ServerLite;
import io.tabletap.server.audit.AuditTypes;
import io.tabletap.server.audit.VerifyResult;
import io.tabletap.server.bench.BenchData;
import io.tabletap.server.config.Secret;
import io.tabletap.server.json.Json;
import io.tabletap.server.queue.DefaultQueues;
import io.tabletap.server.queue.JobStatus;
import io.tabletap.server.queue.Queue;
import io.tabletap.server.store.Database;
import io.tabletap.server.testing.JavaProcess;
import io.tabletap.server.testing.WsClient;
import io.tabletap.server.webhook.WebhookSignature;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acknowledged means durable, for webhooks: a server-lite in a child JVM takes signed
 * {@code payment.succeeded} webhooks from several threads and is killed with SIGKILL mid-load;
 * a server started again on the same data dir then applies every webhook that got a 2xx, each
 * exactly once (one {@code webhook.processed} row, one {@code webhook.received} row), with the
 * audit chain intact and no payment applied without its order. Webhooks in flight at the kill (sent,
 * never answered) may or may not have been taken; if they were, they too are applied once.
 */
class WebhookCrashTest {
  private static final int PAYMENTS = 3_000;
  private static final int ACKS_BEFORE_KILL = 1_000;
  private static final int SENDERS = 6;
  /**
   * Generous: alone on two cores the child takes 1,000 webhooks in about 10 s and the restarted
   * server drains the rest in about 20 s; beside other builds both take two to three times that.
   */
  private static final Duration CHILD_DEADLINE = Duration.ofSeconds(60);
  private static final Duration DRAIN_DEADLINE = Duration.ofSeconds(90);

  @TempDir Path dir;

  /** What the sender threads saw: the webhookId of each answered index, and which were sent but never answered. */
  private final Map<Integer, String> acknowledged = new ConcurrentHashMap<>();
  private final Set<Integer> unanswered = ConcurrentHashMap.newKeySet();
  private final Map<Integer, Integer> refused = new ConcurrentHashMap<>();
  private long loadMillis;

  @Test
  void everyAcknowledgedWebhookIsAppliedExactlyOnceAfterKillMinusNine() throws Exception {
    Path data = dir.resolve("data");
    Path stderr = dir.resolve("child-stderr.txt");
    Process child = JavaProcess.of(ServeWebhooksUntilKilled.class, data.toString(), String.valueOf(PAYMENTS))
        .redirectError(stderr.toFile()).start();
    int port;
    Secret secret;
    try {
      Map<String, String> hello = readHello(child, stderr);
      port = Integer.parseInt(hello.get("port"));
      secret = new Secret(hello.get("secret"));
      sendUntilKilled(child, port, secret, stderr);
    } finally {
      child.destroyForcibly();
      assertThat(child.waitFor(10, TimeUnit.SECONDS)).as("the child died").isTrue();
    }
    assertThat(child.exitValue()).as("killed by SIGKILL, not exited on its own").isEqualTo(128 + 9);
    assertThat(refused).as("answers other than 2xx before the kill (index → status)").isEmpty();

    long processedBeforeRestart;
    try (Database db = Database.open(data, 2)) {
      processedBeforeRestart = count(db, "SELECT COUNT(*) FROM audit_log WHERE type = '" + AuditTypes.WEBHOOK_PROCESSED + "'");
    }

    // The child's leases ran on the wall clock for at most 30 s: start past them, so the stalled
    // check gives jobs that were ACTIVE at the kill back to the queue at once instead of in 30 s.
    Clock clock = Clock.offset(Clock.systemUTC(), Duration.ofSeconds(31));
    long restarting = System.nanoTime();
    try (ServerLite server = ServerLite.start(ServerConfig.forTest(data), clock)) {
      Queue queue = server.queues().queue(DefaultQueues.WEBHOOK_PROCESSING);
      int stalled = queue.checkStalled().size();
      try {
        await().atMost(DRAIN_DEADLINE).pollInterval(Duration.ofMillis(200)).until(() -> {
          Map<JobStatus, Long> counts = queue.counts();
          return counts.getOrDefault(JobStatus.WAITING, 0L) + counts.getOrDefault(JobStatus.ACTIVE, 0L)
              + counts.getOrDefault(JobStatus.DELAYED, 0L) == 0;
        });
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        // seen once in a full run (2026-11-27) and not since: keep what the threads were doing
        System.out.println("Not drained: " + queue.counts() + "; the threads:\n" + threadDump());
        throw e;
      }
      long drainMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarting);
      VerifyResult chain = server.audit().verify();
      assertThat(chain.ok()).as("audit chain: %s", chain).isTrue();
      assertThat(queue.counts().getOrDefault(JobStatus.FAILED, 0L)).as("dead letters").isZero();

      try (Database db = Database.open(data, 2)) {
        // what the foreign keys dropped by decision 0026 guarded, after a kill in the middle
        assertThat(count(db, "SELECT COUNT(*) FROM realtime_events e WHERE NOT EXISTS (SELECT 1 FROM realtime_rooms r"
            + " WHERE r.cafe_id = e.cafe_id AND r.room = e.room)")).as("events of no room").isZero();
        // and within each band a room's numbers run without a gap from the band's first (decision
        // 0030: an append numbers from what committed, not from a locked row; nothing is pruned here)
        String band = "seq / " + (1L << 40);
        assertThat(count(db, "SELECT COUNT(*) FROM (SELECT " + band + " AS band, COUNT(*) AS n, MIN(seq) AS lo, MAX(seq) AS hi"
            + " FROM realtime_events GROUP BY cafe_id, room, " + band + ") g WHERE n <> hi - lo + 1 OR lo <> band * "
            + (1L << 40) + " + 1")).as("rooms with a gap in a band").isZero();
        // the run after the kill numbered in a band of its own (decision 0032)
        assertThat(count(db, "SELECT band FROM server_runs WHERE id = 2")).as("band of the run after the kill").isEqualTo(1);
        assertThat(count(db, "SELECT COUNT(*) FROM server_runs WHERE id = 1 AND stopped_at IS NULL")).as("the killed run").isEqualTo(1);
        assertThat(count(db, "SELECT COUNT(*) FROM order_status_history h WHERE NOT EXISTS (SELECT 1 FROM orders o"
            + " WHERE o.id = h.order_id)")).as("status history of no order").isZero();
        assertThat(count(db, "SELECT COUNT(*) FROM realtime_rooms r WHERE NOT EXISTS (SELECT 1 FROM cafes c"
            + " WHERE c.id = r.cafe_id)")).as("rooms of no cafe").isZero();
        assertThat(count(db, "SELECT COUNT(*) FROM realtime_events")).as("room events stored").isPositive();
        Outcome outcome = outcome(db);
        long processedAfterRestart = outcome.processedRows - processedBeforeRestart;
        long inFlightTaken = unanswered.stream().filter(i -> outcome.jobOf.containsKey(i)).count();
        System.out.printf("webhook kill -9: killed after %d ms of load; %d acknowledged before the kill, %d in flight (%d of them taken), %d processed before"
                + " the kill, %d after the restart (%d jobs stalled), drained %d ms after the restart began%n",
            loadMillis, acknowledged.size(), unanswered.size(), inFlightTaken, processedBeforeRestart, processedAfterRestart, stalled,
            drainMillis);

        assertThat(acknowledged.size()).isGreaterThanOrEqualTo(ACKS_BEFORE_KILL);
        for (Map.Entry<Integer, String> ack : acknowledged.entrySet()) {
          int i = ack.getKey();
          String webhookId = ack.getValue();
          assertThat(outcome.paymentStatus.get(i)).as("payment of acknowledged webhook %d", i).isEqualTo("COMPLETED");
          assertThat(outcome.orderStatus.get(i)).as("order of acknowledged webhook %d", i).isEqualTo("PAID");
          assertThat(outcome.jobOf.get(i)).as("job of acknowledged webhook %d", i).isEqualTo(webhookId);
          assertThat(outcome.processed.getOrDefault(webhookId, 0)).as("webhook.processed rows of %d", i).isEqualTo(1);
          assertThat(outcome.received.getOrDefault(webhookId, 0)).as("webhook.received rows of %d", i).isEqualTo(1);
        }
        for (int i : unanswered) {
          String job = outcome.jobOf.get(i);
          if (job == null) {
            assertThat(outcome.paymentStatus.get(i)).as("payment of in-flight webhook %d never taken", i).isEqualTo("PENDING");
          } else {
            assertThat(outcome.processed.getOrDefault(job, 0)).as("webhook.processed rows of in-flight %d", i).isEqualTo(1);
            assertThat(outcome.received.getOrDefault(job, 0)).as("webhook.received rows of in-flight %d", i).isEqualTo(1);
            assertThat(outcome.paymentStatus.get(i)).as("payment of in-flight webhook %d", i).isEqualTo("COMPLETED");
          }
        }
        assertThat(outcome.processed.values()).as("webhook.processed rows per job").allMatch(n -> n == 1);
        assertThat(outcome.received.values()).as("webhook.received rows per job").allMatch(n -> n == 1);
        assertThat(outcome.processed.keySet()).as("a processed row for every taken webhook, and none for others")
            .containsExactlyInAnyOrderElementsOf(outcome.jobOf.values());
        assertThat(outcome.jobOf.keySet()).as("taken webhooks were all sent").allMatch(i -> acknowledged.containsKey(i)
            || unanswered.contains(i));
        for (int i = 1; i <= PAYMENTS; i++) {
          String payment = outcome.paymentStatus.get(i);
          String order = outcome.orderStatus.get(i);
          boolean whole = payment.equals("COMPLETED") && order.equals("PAID") || payment.equals("PENDING")
              && order.equals("PAYMENT_PENDING");
          assertThat(whole).as("payment %d is %s with its order %s: half-applied", i, payment, order).isTrue();
          assertThat(payment.equals("COMPLETED")).as("payment %d completed iff its webhook was taken", i)
              .isEqualTo(outcome.jobOf.containsKey(i));
        }
      }
    }
  }

  /**
   * A kitchen screen connected through a {@code kill -9}, with webhook batches that our timer never
   * stores (a store interval of an hour): the crash takes back events the screen saw, and the
   * journal processes their webhooks again. No number the screen saw may then belong to another
   * event, every paid order has one ticket, and the screen, resuming from the last number it saw,
   * gets a snapshot with every paid order (decision 0032).
   */
  @Test
  void aScreenNeverSeesANumberGivenToAnotherEventAfterKillMinusNine() throws Exception {
    Path data = dir.resolve("data");
    Path stderr = dir.resolve("child-stderr.txt");
    int payments = 8;
    Process child = JavaProcess.of(ServeWebhooksUntilKilled.class, data.toString(), String.valueOf(payments), "false",
        String.valueOf(Duration.ofHours(1).toMillis())).redirectError(stderr.toFile()).start();
    String kitchen = "cafe:demo:kitchen";
    Map<Long, JsonNode> seen = new HashMap<>();
    long lastSeen;
    try {
      Map<String, String> hello = readHello(child, stderr);
      String token = Files.readString(data.resolve(ServerLite.ADMIN_TOKEN_FILE)).strip();
      WsClient screen = WsClient.authenticated("ws://127.0.0.1:" + hello.get("ws") + "/ws", token);
      lastSeen = screen.subscribe(kitchen).get("seq").asLong();
      HttpClient http = HttpClient.newHttpClient();
      Secret secret = new Secret(hello.get("secret"));
      for (int i = 1; i <= payments; i++) {
        byte[] body = BenchData.paymentSucceeded("evt_screen_" + i, "pay_bench_" + i);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hello.get("port") + "/webhooks/payconic"))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        BenchData.signedHeaders(secret, body).forEach(request::header);
        assertThat(http.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(202);
      }
      int paid = 0;
      while (paid < payments) {
        JsonNode frame = screen.next("event");
        seen.put(frame.get("seq").asLong(), frame);
        lastSeen = Math.max(lastSeen, frame.get("seq").asLong());
        paid += frame.get("event").asText().equals("new_paid_order") ? 1 : 0;
      }
      screen.close();
    } finally {
      child.destroyForcibly();
      assertThat(child.waitFor(10, TimeUnit.SECONDS)).as("the child died").isTrue();
    }

    try (ServerLite server = ServerLite.start(ServerConfig.forTest(data), Clock.systemUTC());
        Database db = Database.open(data, 2)) {
      await().atMost(DRAIN_DEADLINE).until(() -> count(db, "SELECT COUNT(*) FROM payments WHERE status = 'COMPLETED'") == payments);
      Map<Long, String[]> stored = db.read(c -> {
        Map<Long, String[]> events = new HashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
            "SELECT seq, event, data FROM realtime_events WHERE room = '" + kitchen + "'")) {
          while (rs.next()) {
            events.put(rs.getLong(1), new String[] {rs.getString(2), rs.getString(3)});
          }
        }
        return events;
      });
      int takenBack = 0;
      for (Map.Entry<Long, JsonNode> e : seen.entrySet()) {
        String[] now = stored.get(e.getKey());
        if (now == null) {
          takenBack++;
        } else {
          assertThat(now[0]).as("event numbered %d", e.getKey()).isEqualTo(e.getValue().get("event").asText());
          assertThat(Json.mapper().readTree(now[1])).as("data of %d", e.getKey()).isEqualTo(e.getValue().get("data"));
        }
      }
      System.out.printf("screen through kill -9: saw %d kitchen events, %d of them taken back by the crash and numbered"
          + " again from %d%n", seen.size(), takenBack, 1L << 40);
      assertThat(stored.values().stream().filter(v -> v[0].equals("new_paid_order")).count())
          .as("one kitchen ticket per paid order").isEqualTo(payments);

      WsClient resumed = WsClient.authenticated("ws://127.0.0.1:" + server.wsPort() + "/ws",
          Files.readString(data.resolve(ServerLite.ADMIN_TOKEN_FILE)).strip());
      resumed.subscribe(kitchen, lastSeen);
      JsonNode snapshot = resumed.next("snapshot");
      assertThat(snapshot.at("/state/activeOrders")).as("every paid order on the display").hasSize(payments);
      resumed.close();
      // H2 also stores by itself once its estimate of unsaved memory passes a threshold (MVStore's
      // autoCommitBufferSize; not settable through H2's URL). Should that store the last batch
      // before the kill, the crash took back nothing and this run proved nothing about
      // renumbering: it says so instead of passing (all ~25 were taken back in every run so far)
      assumeTrue(takenBack > 0, "the crash took back none of the events the screen saw");
    }
  }

  private Map<String, String> readHello(Process child, Path stderr) throws Exception {
    Map<String, String> hello = new ConcurrentHashMap<>();
    CountDownLatch ready = new CountDownLatch(1);
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
        String line;
        while ((line = in.readLine()) != null) {
          if (line.equals("ready")) {
            ready.countDown();
          } else if (line.startsWith("port ") || line.startsWith("ws ") || line.startsWith("secret ")) {
            int space = line.indexOf(' ');
            hello.put(line.substring(0, space), line.substring(space + 1).strip());
          }
        }
      } catch (IOException e) {
        // the pipe broke with the child
      }
    }, "child-stdout");
    reader.setDaemon(true);
    reader.start();
    if (!ready.await(CHILD_DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
      fail("The child was not ready in " + CHILD_DEADLINE + "; its stderr:\n" + Files.readString(stderr));
    }
    return hello;
  }

  /** Sends from {@link #SENDERS} threads as fast as answers come; kills the child after {@link #ACKS_BEFORE_KILL} 2xx. */
  private void sendUntilKilled(Process child, int port, Secret secret, Path stderr) throws Exception {
    URI endpoint = URI.create("http://127.0.0.1:" + port + "/webhooks/payconic");
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    AtomicInteger next = new AtomicInteger(1);
    AtomicBoolean killed = new AtomicBoolean();
    CountDownLatch enough = new CountDownLatch(1);
    ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
    long started = System.nanoTime();
    for (int t = 0; t < SENDERS; t++) {
      senders.submit(() -> {
        while (!killed.get()) {
          int i = next.getAndIncrement();
          if (i > PAYMENTS) {
            return null;
          }
          byte[] body = ("{\"eventId\":\"evt_crash_" + i + "\",\"eventType\":\"payment.succeeded\",\"paymentId\":\"pay_bench_" + i
              + "\",\"orderId\":null,\"amount\":450,\"currency\":\"AUD\",\"occurredAt\":\"2026-11-26T00:00:00Z\"}")
              .getBytes(StandardCharsets.UTF_8);
          HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(10))
              .header("Content-Type", "application/json")
              .header("Payconic-Signature", WebhookSignature.sign(secret, Instant.now().getEpochSecond(), body))
              .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
          unanswered.add(i);
          try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            unanswered.remove(i);
            if (response.statusCode() / 100 == 2) {
              JsonNode json = Json.mapper().readTree(response.body());
              acknowledged.put(i, json.get("webhookId").asText());
              if (acknowledged.size() >= ACKS_BEFORE_KILL) {
                enough.countDown();
              }
            } else {
              refused.put(i, response.statusCode());
            }
          } catch (IOException e) {
            return null; // the child died under this request: it stays unanswered
          }
        }
        return null;
      });
    }
    try {
      if (!enough.await(CHILD_DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
        fail("Only " + acknowledged.size() + " webhooks acknowledged in " + CHILD_DEADLINE + "; the child's stderr:\n"
            + Files.readString(stderr));
      }
      child.destroyForcibly(); // mid-load: the senders are still going
      loadMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    } finally {
      killed.set(true);
      child.destroyForcibly();
      senders.shutdown();
      assertThat(senders.awaitTermination(20, TimeUnit.SECONDS)).as("the senders stopped").isTrue();
    }
  }

  /** What the data dir holds after the restart, per webhook index. */
  private record Outcome(Map<Integer, String> paymentStatus, Map<Integer, String> orderStatus, Map<Integer, String> jobOf,
      Map<String, Integer> processed, Map<String, Integer> received, long processedRows) {}

  private static Outcome outcome(Database db) {
    return db.read(c -> {
      Map<Integer, String> payments = new HashMap<>();
      Map<Integer, String> orders = new HashMap<>();
      Map<Integer, String> jobs = new HashMap<>();
      Map<String, Integer> processed = new HashMap<>();
      Map<String, Integer> received = new HashMap<>();
      long processedRows = 0;
      try (Statement s = c.createStatement()) {
        try (ResultSet rs = s.executeQuery("SELECT p.gateway_transaction_id, p.status, o.status FROM payments p"
            + " JOIN orders o ON o.id = p.order_id WHERE p.gateway_transaction_id LIKE 'pay\\_bench\\_%'")) {
          while (rs.next()) {
            int i = Integer.parseInt(rs.getString(1).substring("pay_bench_".length()));
            payments.put(i, rs.getString(2));
            orders.put(i, rs.getString(3));
          }
        }
        try (ResultSet rs = s.executeQuery("SELECT job_key, job_id FROM job_keys WHERE queue = '"
            + DefaultQueues.WEBHOOK_PROCESSING + "' AND job_key LIKE 'payconic:evt\\_crash\\_%'")) {
          while (rs.next()) {
            jobs.put(Integer.parseInt(rs.getString(1).substring("payconic:evt_crash_".length())), rs.getString(2));
          }
        }
        try (ResultSet rs = s.executeQuery("SELECT type, subject, COUNT(*) FROM audit_log WHERE type IN ('"
            + AuditTypes.WEBHOOK_PROCESSED + "', '" + AuditTypes.WEBHOOK_RECEIVED + "') GROUP BY type, subject")) {
          while (rs.next()) {
            int n = rs.getInt(3);
            if (rs.getString(1).equals(AuditTypes.WEBHOOK_PROCESSED)) {
              processed.put(rs.getString(2), n);
              processedRows += n;
            } else {
              received.put(rs.getString(2), n);
            }
          }
        }
      }
      return new Outcome(payments, orders, jobs, processed, received, processedRows);
    });
  }

  private static String threadDump() {
    StringBuilder out = new StringBuilder();
    for (java.lang.management.ThreadInfo t : java.lang.management.ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
      out.append('"').append(t.getThreadName()).append("\" ").append(t.getThreadState());
      if (t.getLockName() != null) {
        out.append(" on ").append(t.getLockName()).append(" held by ").append(t.getLockOwnerName());
      }
      out.append('\n');
      for (StackTraceElement frame : t.getStackTrace()) {
        out.append("    at ").append(frame).append('\n');
      }
    }
    return out.toString();
  }

  private static long count(Database db, String sql) {
    return db.read(c -> {
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }
}
