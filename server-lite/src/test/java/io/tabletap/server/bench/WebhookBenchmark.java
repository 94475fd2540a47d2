package io.tabletap.server.bench;

import io.tabletap.server.ServerConfig;
import io.tabletap.server.ServerLite;
import io.tabletap.server.config.Secret;
import io.tabletap.server.queue.DefaultQueues;
import io.tabletap.server.queue.JobEvent;
import io.tabletap.server.store.Database;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Signed {@code payment.succeeded} webhooks for pre-created pending Payconic payments, sent through
 * the real HTTP endpoint: a closed loop (C clients, each sending as soon as its last answer came)
 * and a fixed rate. Reports acknowledged/s, processed/s, HTTP latency and ack→processed latency.
 * Run with the command in docs/performance.md.
 */
public final class WebhookBenchmark {
  private static final String PATH = "/webhooks/payconic";
  /** Connections for the fixed rates: enough that a webhook rarely waits for a free one. */
  private static final int SENDERS = 32;
  private final ServerLite server;
  private final Secret secret;
  private final List<String> payments;
  private final AtomicInteger next = new AtomicInteger();
  private final Map<String, Long> ackedAt = new ConcurrentHashMap<>();
  private final Map<String, Long> processedAt = new ConcurrentHashMap<>();
  /** The webhook job of each payment, from its 202's webhookId. */
  private final Map<String, UUID> jobOf = new ConcurrentHashMap<>();
  /** When the worker took each webhook job (its job.active, on the worker's thread as it starts). */
  private final Map<UUID, Long> takenAt = new ConcurrentHashMap<>();
  private final int port;
  private final Database h2;
  /** CPU of the closed loop's client threads, which end before the loop's CPU is read. */
  private final LongAdder clientCpu = new LongAdder();

  private WebhookBenchmark(ServerLite server, List<String> payments, Database h2) {
    this.server = server;
    this.h2 = h2;
    this.secret = server.sandbox().orElseThrow().config().webhookSecret();
    this.payments = payments;
    this.port = server.httpPort();
    // processed = committed
    BenchData.whenCompletedCommits(server, (payment, at) -> processedAt.putIfAbsent(payment.gatewayTransactionId(), at));
    server.events().subscribe(JobEvent.class, e -> {
      if (e.name().equals(JobEvent.ACTIVE) && e.queue().equals(DefaultQueues.WEBHOOK_PROCESSING)) {
        takenAt.putIfAbsent(e.jobId(), System.nanoTime());
      }
    });
  }

  public static void main(String[] args) throws Exception {
    quietLogs();
    int closedSeconds = intArg(args, "--closed-seconds", 10);
    int clients = intArg(args, "--clients", 16);
    int rate = intArg(args, "--rate", 500);
    int rateSeconds = intArg(args, "--rate-seconds", 10);
    int seeded = intArg(args, "--payments", 110_000);
    // the JIT was still compiling H2's commit path after 2,000 (a fifth of the CPU at 100/s)
    int warmUp = intArg(args, "--warm-up", 30_000);
    int rateWarmUp = intArg(args, "--rate-warm-up-seconds", 10);
    long fixedRateNeeds = (long) warmUp + (long) rate * (rateWarmUp + rateSeconds);
    if (seeded < fixedRateNeeds) { // the closed loop takes what it can of the rest
      throw new IllegalArgumentException("--payments " + seeded + " is too few: the warm-up and the fixed rate alone send "
          + fixedRateNeeds + " webhooks (--warm-up " + warmUp + ", " + rate + "/s for " + rateWarmUp + " + " + rateSeconds + " s)");
    }
    Path dir = Files.createTempDirectory("tabletap-bench");
    ServerConfig test = ServerConfig.forTest(dir);
    int httpThreads = intArg(args, "--http-threads", test.httpThreads());
    ServerConfig config = new ServerConfig(test.dataDir(), test.httpPort(), test.bindAddress(), httpThreads,
        Math.max(test.httpQueue(), clients * 2), test.dbConnections(), test.shutdownGraceSeconds(), test.payments(), test.realtime(),
        test.storeInterval());
    try {
      try (ServerLite server = ServerLite.start(config, Clock.systemUTC())) {
        // the same H2 database as the server's (one JVM, one URL): for seeding and its write counters
        Database db = Database.open(dir, 2);
        long seedStart = System.nanoTime();
        List<String> payments = BenchData.pendingCardPayments(db, seeded);
        System.out.printf("seeded %d pending card payments in %.1f s%n", payments.size(), (System.nanoTime() - seedStart) / 1e9);
        WebhookBenchmark bench = new WebhookBenchmark(server, payments, db);
        H2PageCensus census = List.of(args).contains("--page-census") ? H2PageCensus.attach(server, db) : null;
        System.out.printf("durability: every acknowledged webhook written to the OS before the 2xx: to the job journal"
            + " (decision 0021), or committed and stored in H2; a processed webhook reaches H2's file within %d ms, its"
            + " journal record kept until then (decision 0032); nothing is fsynced (decision 0001)%n",
            config.storeInterval().toMillis());
        System.out.printf("cores: %d, JVM: %s, HTTP threads: %d%n", Runtime.getRuntime().availableProcessors(),
            System.getProperty("java.version"), httpThreads);
        bench.warmUp(warmUp);
        bench.closedLoop(clients, Duration.ofSeconds(closedSeconds));
        if (rateSeconds > 0 && rateWarmUp > 0) {
          // the closed loop's big batches leave the JIT unready for a fixed rate's small ones:
          // without this, C2 recompiled (475 deoptimisations) during the measured window
          bench.fixedRate(rate, Duration.ofSeconds(rateWarmUp), false);
        }
        bench.fixedRate(rate, Duration.ofSeconds(rateSeconds), true);
        if (census != null) {
          System.out.println(census.report());
        }
        db.close();
      }
    } finally {
      BenchData.deleteTree(dir);
    }
  }

  /** The test class path turns on the Payconic wire log; a benchmark wants warnings only. */
  static void quietLogs() {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    System.setProperty("org.slf4j.simpleLogger.log.io.tabletap.server.payment.payconic.LoggingInterceptor", "warn");
  }

  private void warmUp(int count) throws Exception {
    closedLoopFor(8, count, Duration.ofMinutes(1), new Latencies(), new AtomicLong());
    awaitProcessed(Duration.ofSeconds(60));
    System.out.println("warm-up: " + count + " webhooks");
  }

  private void closedLoop(int clients, Duration length) throws Exception {
    int from = next.get();
    Latencies httpLatency = new Latencies();
    AtomicLong acked = new AtomicLong();
    clientCpu.reset();
    CpuSplit cpuBefore = CpuSplit.now();
    long start = System.nanoTime();
    closedLoopFor(clients, Integer.MAX_VALUE, length, httpLatency, acked);
    double seconds = (System.nanoTime() - start) / 1e9;
    String cpu = CpuSplit.now().describe(cpuBefore, seconds, Map.of("load generator", clientCpu.sum()),
        WebhookBenchmark::threadGroup, THREAD_GROUPS);
    awaitProcessed(Duration.ofSeconds(120));
    long processedBy = lastProcessed(from, next.get());
    double processingSeconds = (processedBy - start) / 1e9;
    int sent = Math.min(next.get(), payments.size()) - from;
    System.out.printf("closed loop, %d clients, %.1f s: %d acknowledged (%.0f/s), processed %.0f/s, HTTP %s, ack→processed %s%n",
        clients, seconds, acked.get(), acked.get() / seconds, sent / processingSeconds, httpLatency.summary(),
        ackToProcessed(from, next.get()).summary());
    System.out.println("  CPU while the loop ran: " + cpu);
  }

  private static final String[] THREAD_GROUPS = {"HTTP server", "group commit", "webhook worker", "other server threads", "load generator"};

  /** Which part of the work a thread's name says it does (see CpuSplit). */
  private static String threadGroup(String thread) {
    if (thread.startsWith("http-") || thread.startsWith("HTTP-Dispatcher")) {
      return "HTTP server";
    } else if (thread.startsWith("job-group-commit")) {
      return "group commit";
    } else if (thread.startsWith("queue-webhook-processing")) {
      return "webhook worker";
    } else if (thread.startsWith("bench-client")) {
      return null; // counted by the client threads themselves (clientCpu): they end with their loop
    } else if (thread.startsWith("bench-") || thread.equals(Thread.currentThread().getName())) {
      return "load generator";
    }
    return "other server threads";
  }

  private void closedLoopFor(int clients, int maxRequests, Duration length, Latencies httpLatency, AtomicLong acked)
      throws InterruptedException {
    long deadline = System.nanoTime() + length.toNanos();
    long limit = (long) next.get() + maxRequests;
    ExecutorService pool = Executors.newFixedThreadPool(clients, r -> {
      Thread thread = new Thread(r, "bench-client");
      thread.setDaemon(true);
      return thread;
    });
    for (int c = 0; c < clients; c++) {
      pool.submit(() -> {
        try (HttpConnection connection = new HttpConnection("127.0.0.1", port)) {
          while (System.nanoTime() < deadline) {
            int i = next.getAndIncrement();
            if (i >= limit || i >= payments.size()) {
              break;
            }
            byte[] body = body(i);
            long sentAt = System.nanoTime();
            HttpConnection.Answer answer = connection.post(PATH, BenchData.signedHeaders(secret, body), body);
            long now = System.nanoTime();
            if (answer.status() / 100 == 2) {
              acked.incrementAndGet();
              ackedAt.put(payments.get(i), now);
              httpLatency.add(now - sentAt);
            } else {
              System.out.println("answer " + answer.status() + ": " + answer.body());
            }
          }
        } finally {
          clientCpu.add(ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime()); // its thread ends with the loop
        }
        return null;
      });
    }
    pool.shutdown();
    pool.awaitTermination(length.toSeconds() + 120, TimeUnit.SECONDS);
  }

  private void fixedRate(int perSecond, Duration length, boolean report) throws Exception {
    int from = next.get();
    int total = (int) (perSecond * length.toSeconds());
    Latencies httpLatency = new Latencies();
    Latencies serverTime = new Latencies();
    CpuSplit cpuBefore = CpuSplit.now();
    long[] writesBefore = BenchData.h2Writes(h2);
    long start = System.nanoTime();
    try (SenderPool senders = new SenderPool("127.0.0.1", port, SENDERS)) {
      Pacer.fixedRate(start, perSecond, total, (k, due) -> {
        int i = next.getAndIncrement();
        byte[] body = body(i);
        senders.submit(new SenderPool.Post(PATH, BenchData.signedHeaders(secret, body), body, (answer, failure) -> {
          long now = System.nanoTime();
          if (answer != null && answer.status() / 100 == 2) {
            ackedAt.put(payments.get(i), now);
            webhookId(answer.body()).ifPresent(job -> jobOf.put(payments.get(i), job));
            httpLatency.add(now - due); // from when it was due: time waiting for a free sender counts
            if (answer.serverNanos() >= 0) {
              serverTime.add(answer.serverNanos());
            }
          } else {
            System.out.println("webhook " + i + ": " + (answer == null ? failure : answer.status() + " " + answer.body()));
          }
        }));
      });
    }
    awaitProcessed(Duration.ofSeconds(60));
    if (!report) {
      System.out.printf("warm-up at %d/s for %d s%n", perSecond, length.toSeconds());
      return;
    }
    String cpu = CpuSplit.now().describe(cpuBefore, (System.nanoTime() - start) / 1e9, Map.of(), WebhookBenchmark::threadGroup,
        THREAD_GROUPS);
    System.out.printf("fixed rate %d/s for %d s: HTTP %s, ack→processed %s%n", perSecond, length.toSeconds(),
        httpLatency.summary(), ackToProcessed(from, next.get()).summary());
    System.out.println("  the server's own time per request (Server-Timing, handler to answer): " + serverTime.summary());
    Latencies[] split = waitAndWork(from, next.get());
    System.out.println("  ack→processed, split: waiting for the worker " + split[0].summary() + "; taken → committed "
        + split[1].summary() + " (a job's batch mates' work and the commit included)");
    System.out.println("  CPU until all was processed: " + cpu);
    long[] writes = BenchData.h2Writes(h2);
    System.out.printf("  H2 file writes: %d (%.1f per webhook), %.1f KiB per webhook%n", writes[0] - writesBefore[0],
        (writes[0] - writesBefore[0]) / (double) total, (writes[1] - writesBefore[1]) / 1024.0 / total);
  }

  /** Waits until every acknowledged webhook's payment is completed; returns when the last one was. */
  private long awaitProcessed(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      // the size check first: containsAll over thousands of keys every 5 ms took a tenth of the CPU
      if (processedAt.size() >= ackedAt.size() && processedAt.keySet().containsAll(ackedAt.keySet())) {
        return processedAt.values().stream().mapToLong(Long::longValue).max().orElse(System.nanoTime());
      }
      Thread.sleep(5); // polling the benchmark's own counters
    }
    long missing = ackedAt.keySet().stream().filter(k -> !processedAt.containsKey(k)).count();
    System.out.println("WARNING: " + missing + " acknowledged webhooks not processed within " + timeout);
    return System.nanoTime();
  }

  private long lastProcessed(int from, int to) {
    long last = 0;
    for (int i = from; i < Math.min(to, payments.size()); i++) {
      Long done = processedAt.get(payments.get(i));
      last = done == null ? last : Math.max(last, done);
    }
    return last;
  }

  /**
   * Per webhook: from its 2xx to the worker taking its job (0 if the worker took it before the
   * client had the answer), and from the later of the two to the commit.
   */
  private Latencies[] waitAndWork(int from, int to) {
    Latencies waiting = new Latencies();
    Latencies working = new Latencies();
    for (int i = from; i < Math.min(to, payments.size()); i++) {
      Long ack = ackedAt.get(payments.get(i));
      Long done = processedAt.get(payments.get(i));
      UUID job = jobOf.get(payments.get(i));
      Long taken = job == null ? null : takenAt.get(job);
      if (ack != null && done != null && taken != null) {
        waiting.add(Math.max(0, taken - ack));
        working.add(Math.max(0, done - Math.max(taken, ack)));
      }
    }
    return new Latencies[] {waiting, working};
  }

  private static java.util.Optional<UUID> webhookId(String body) {
    int at = body.indexOf("\"webhookId\":\"");
    if (at < 0) {
      return java.util.Optional.empty();
    }
    int start = at + "\"webhookId\":\"".length();
    return java.util.Optional.of(UUID.fromString(body.substring(start, start + 36)));
  }

  /** processed − acknowledged per webhook; 0 when processing finished before the answer arrived. */
  private Latencies ackToProcessed(int from, int to) {
    Latencies latencies = new Latencies();
    for (int i = from; i < Math.min(to, payments.size()); i++) {
      Long ack = ackedAt.get(payments.get(i));
      Long done = processedAt.get(payments.get(i));
      if (ack != null && done != null) {
        latencies.add(Math.max(0, done - ack));
      }
    }
    return latencies;
  }

  private byte[] body(int i) {
    return BenchData.paymentSucceeded("evt_bench_" + i, payments.get(i));
  }

  private static int intArg(String[] args, String name, int fallback) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    return fallback;
  }
}
