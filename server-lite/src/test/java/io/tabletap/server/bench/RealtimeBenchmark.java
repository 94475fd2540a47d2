package io.tabletap.server.bench;

import io.tabletap.server.ServerConfig;
import io.tabletap.server.ServerLite;
import io.tabletap.server.config.Secret;
import io.tabletap.server.device.Role;
import io.tabletap.server.store.Database;
import io.tabletap.server.ws.NullFanOutServer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Webhook to kitchen screen: signed {@code payment.succeeded} webhooks for pre-created pending
 * Payconic payments go through the real HTTP endpoint at fixed rates, while N real Java-WebSocket
 * clients on loopback (half KITCHEN, half CASHIER devices) sit in {@code cafe:demo:kitchen} (and,
 * the CASHIERs, {@code cafe:demo:staff}). For every webhook and every client it measures the time
 * from sending the webhook to that client receiving the order's {@code new_paid_order}; it counts
 * lost events (never received after a drain period), duplicates (a seq or an order twice) and
 * gaps (a seq skipped in a room), and reads the process CPU time and the heap after a GC.
 *
 * <p>The clients run in a JVM of their own ({@link ChildScreens}), as screens are devices of their
 * own; the server and the load generator share the Maven JVM, whose CPU is split by thread into
 * "load generator" and the server's parts, and the clients' JVM reports its own. With
 * {@code --clients-in benchmark-jvm} the clients share the Maven JVM too (the set-up of sessions
 * 1-6): their garbage then pauses the server. Run with the command in docs/performance.md.
 */
public final class RealtimeBenchmark {
  private static final String PATH = "/webhooks/payconic";
  /** Connections sending the webhooks: enough that one rarely waits for a free one. */
  private static final int SENDERS = 32;

  /** The server's WebSocket endpoint. */
  private final URI wsUri;
  /** A KITCHEN and a CASHIER device token for the screens. */
  private final String kitchenToken;
  private final String cashierToken;
  private final Secret secret;
  private final List<BenchData.Seeded> payments;
  private final Map<UUID, Integer> indexOfOrder = new HashMap<>();
  /** When webhook i was handed to the HTTP client (nanoTime); 0 if not sent. */
  private final AtomicLongArray sentAt;
  /** When webhook i was answered 2xx (nanoTime); 0 if it was not. */
  private final AtomicLongArray acked;
  /** When webhook i's request began to be written to its socket (nanoTime): after the load generator's own delay. */
  private final AtomicLongArray writtenAt;
  /** The server's own time for webhook i's request (its Server-Timing), nanoseconds; -1 if not given. */
  private final AtomicLongArray serverTime;
  /** When the transaction that completed webhook i's payment committed (nanoTime); 0 if not yet. */
  private final AtomicLongArray committedAt;
  private final AtomicInteger next = new AtomicInteger();
  private final int port;
  private Screens screens;

  private RealtimeBenchmark(int httpPort, URI wsUri, Secret secret, List<BenchData.Seeded> payments, String kitchenToken,
      String cashierToken) {
    this.wsUri = wsUri;
    this.secret = secret;
    this.kitchenToken = kitchenToken;
    this.cashierToken = cashierToken;
    this.payments = payments;
    for (int i = 0; i < payments.size(); i++) {
      indexOfOrder.put(payments.get(i).orderId(), i);
    }
    this.sentAt = new AtomicLongArray(payments.size());
    this.acked = new AtomicLongArray(payments.size());
    this.writtenAt = new AtomicLongArray(payments.size());
    this.serverTime = new AtomicLongArray(payments.size());
    this.committedAt = new AtomicLongArray(payments.size());
    this.port = httpPort;
  }

  /** Against server-lite: its sandbox's webhook secret, two new devices, and its commits watched. */
  private static RealtimeBenchmark against(ServerLite server, List<BenchData.Seeded> payments) {
    RealtimeBenchmark bench = new RealtimeBenchmark(server.httpPort(), URI.create("ws://127.0.0.1:" + server.wsPort() + "/ws"),
        server.sandbox().orElseThrow().config().webhookSecret(), payments,
        server.devices().create("demo", Role.KITCHEN, "bench kitchen").token(),
        server.devices().create("demo", Role.CASHIER, "bench cashier").token());
    BenchData.whenCompletedCommits(server, (payment, at) -> bench.committed(payment.orderId(), at));
    return bench;
  }

  /** The order's payment committed (or, against the null server, its frames were queued) at {@code at}. */
  private void committed(UUID orderId, long at) {
    Integer i = indexOfOrder.get(orderId);
    if (i != null) {
      committedAt.compareAndSet(i, 0, at);
    }
  }

  /**
   * What a run measures: the screens, the warm-ups and the rates (the command-line options).
   *
   * @param ownJvm the screens in a JVM of their own (the default), as real screens are devices of their own
   */
  private record Plan(int clients, boolean ownJvm, int warmUp, int[] rates, int rateWarmUp, int seconds, int drainSeconds) {
    static Plan of(String[] args) {
      return new Plan(intArg(args, "--clients", 50),
          !stringArg(args, "--clients-in", "own-jvm").equals("benchmark-jvm"),
          intArg(args, "--warm-up", 600),
          Arrays.stream(stringArg(args, "--rates", "100,500").split(",")).mapToInt(s -> Integer.parseInt(s.trim())).toArray(),
          intArg(args, "--rate-warm-up-seconds", 30), // 5 s left C2 compiling in the measured window (session 6)
          intArg(args, "--seconds", 10),
          intArg(args, "--drain-seconds", 30));
    }

    /** How many webhooks the run sends, each for a payment of its own. */
    int webhooks() {
      return warmUp + Arrays.stream(rates).map(r -> r * (seconds + rateWarmUp)).sum();
    }
  }

  public static void main(String[] args) throws Exception {
    Plan plan = Plan.of(args);
    Path dir = Files.createTempDirectory("tabletap-rtbench");
    try {
      if (List.of(args).contains("--null-server")) {
        runAgainstNullServer(plan, dir);
        return;
      }
      try (ServerLite server = ServerLite.start(ServerConfig.forTest(dir), Clock.systemUTC())) {
        List<BenchData.Seeded> payments;
        try (Database db = Database.open(dir, 2)) {
          long start = System.nanoTime();
          payments = BenchData.pendingCardPaymentsWithOrders(db, plan.webhooks());
          System.out.printf("seeded %d pending card payments in %.1f s%n", payments.size(), (System.nanoTime() - start) / 1e9);
        }
        against(server, payments).run(plan, dir);
      }
    } finally {
      BenchData.deleteTree(dir);
    }
  }

  /**
   * The same load and screens against {@link NullFanOutServer}, which only answers and forwards:
   * the floor the machine and the harness put under any server's figures (decision 0033).
   */
  private static void runAgainstNullServer(Plan plan, Path dir) throws Exception {
    List<BenchData.Seeded> payments = new ArrayList<>(plan.webhooks());
    Map<String, UUID> orderOfPayment = new HashMap<>();
    for (int i = 0; i < plan.webhooks(); i++) {
      BenchData.Seeded p = new BenchData.Seeded("pay_null_" + i, UUID.randomUUID());
      payments.add(p);
      orderOfPayment.put(p.payconicId(), p.orderId());
    }
    RealtimeBenchmark[] bench = new RealtimeBenchmark[1];
    try (NullFanOutServer server = new NullFanOutServer(orderOfPayment, (order, at) -> bench[0].committed(order, at))) {
      System.out.println("NULL SERVER: webhooks answered 202 unchecked and forwarded on the HTTP thread; no database, no queue");
      bench[0] = new RealtimeBenchmark(server.httpPort(), URI.create("ws://127.0.0.1:" + server.wsPort() + "/ws"),
          new Secret("null-server-does-not-check"), payments, "any", "any");
      bench[0].run(plan, dir);
    }
  }

  private void run(Plan plan, Path dir) throws Exception {
    System.out.printf("cores: %d, JVM: %s, max heap %d MiB, load average before: %s%n", Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20, loadAverage());
    connect(plan.clients(), plan.ownJvm(), dir);
    System.out.printf("%d WebSocket clients connected on loopback, %s (%d KITCHEN in %s; %d CASHIER in %s and %s)%n",
        plan.clients(), plan.ownJvm() ? "in a JVM of their own" : "in this JVM", (plan.clients() + 1) / 2, BenchScreen.KITCHEN,
        plan.clients() / 2, BenchScreen.KITCHEN, BenchScreen.STAFF);
    if (plan.warmUp() > 0) {
      Result w = fixedRate("warm-up", 100, plan.warmUp() / 100.0, plan.drainSeconds());
      System.out.printf("warm-up: %d webhooks at 100/s, p50 %.2f ms, lost %d (not reported further)%n", plan.warmUp(), w.p50,
          w.lost);
    }
    for (int rate : plan.rates()) {
      if (plan.rateWarmUp() > 0) {
        // unmeasured, at the rate about to be measured: the 100/s warm-up leaves C2 recompiling
        // at 500/s (6 s of JIT and GC in a 10 s window, against 3 s)
        Result w = fixedRate("warm-up " + rate + "/s", rate, plan.rateWarmUp(), plan.drainSeconds());
        System.out.printf("warm-up: %d s at %d/s, p50 %.2f ms, lost %d (not reported further)%n", plan.rateWarmUp(), rate, w.p50,
            w.lost);
      }
      fixedRate(rate + "/s", rate, plan.seconds(), plan.drainSeconds()).print();
    }
    screens.close();
  }

  // ---- clients ----

  private void connect(int count, boolean ownJvm, Path dir) throws Exception {
    URI uri = wsUri;
    if (ownJvm) {
      List<UUID> orders = payments.stream().map(BenchData.Seeded::orderId).toList();
      screens = ChildScreens.start(uri, count, orders, kitchenToken, cashierToken, dir);
      return;
    }
    List<BenchScreen> local = new ArrayList<>();
    for (int c = 0; c < count; c++) {
      BenchScreen screen = BenchScreen.forClient(c, uri, kitchenToken, cashierToken, indexOfOrder);
      screen.join();
      local.add(screen);
    }
    screens = new LocalScreens(local);
  }

  // ---- load ----

  private Result fixedRate(String name, int perSecond, double seconds, int drainSeconds) throws Exception {
    int total = (int) Math.round(perSecond * seconds);
    int from = next.get();
    int to = from + total;
    Screens.Tally before = screens.tally(from, from);
    CpuSplit cpuBefore = CpuSplit.now();
    AtomicInteger rejected = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    long start = System.nanoTime();
    double sendSeconds;
    String wakeUps;
    try (WakeUpProbe probe = WakeUpProbe.start(); SenderPool senders = new SenderPool("127.0.0.1", port, SENDERS)) {
      Pacer.fixedRate(start, perSecond, total, (k, due) -> {
        int i = next.getAndIncrement();
        byte[] body = BenchData.paymentSucceeded("evt_rtbench_" + i, payments.get(i).payconicId());
        sentAt.set(i, due); // from when it was due: time waiting for a free sender counts
        senders.submit(new SenderPool.Post(PATH, BenchData.signedHeaders(secret, body), body, (answer, error) -> {
          if (answer == null) {
            failed.incrementAndGet(); // e.g. reset: the server's HTTP queue was full
          } else if (answer.status() / 100 == 2) {
            acked.set(i, System.nanoTime());
            serverTime.set(i, answer.serverNanos());
            writtenAt.set(i, answer.writtenAt());
          } else {
            rejected.incrementAndGet();
          }
        }));
      });
      sendSeconds = (System.nanoTime() - start) / 1e9;
      wakeUps = probe.report();
    }
    long drainStart = System.nanoTime();
    long drainDeadline = drainStart + TimeUnit.SECONDS.toNanos(drainSeconds);
    int ackedCount = (int) java.util.stream.IntStream.range(from, to).filter(i -> acked.get(i) != 0).count();
    long expected = (long) ackedCount * screens.size();
    while (screens.received(from, to) < expected && System.nanoTime() < drainDeadline) {
      Thread.sleep(5); // polling the clients' own counters
    }
    double drained = (System.nanoTime() - drainStart) / 1e9;
    double wall = (System.nanoTime() - start) / 1e9;
    String cpu = CpuSplit.now().describe(cpuBefore, (System.nanoTime() - start) / 1e9, Map.of(), RealtimeBenchmark::threadGroup,
        THREAD_GROUPS);
    Screens.Tally after = screens.tally(from, to);

    Result r = new Result();
    r.name = name;
    r.rate = perSecond;
    r.seconds = seconds;
    r.sendSeconds = sendSeconds;
    r.sent = total;
    r.rejected = rejected.get();
    r.failed = failed.get();
    r.acked = ackedCount;
    r.clients = screens.size();
    r.drained = drained;
    r.wall = wall;
    Latencies latencies = new Latencies();
    Latencies lastClient = new Latencies();
    Latencies committed = new Latencies();
    Latencies acknowledged = new Latencies();
    Latencies handled = new Latencies();
    Latencies generatorLag = new Latencies();
    List<long[]> stages = new ArrayList<>(); // per webhook: TailSplit's stages
    long lost = 0;
    for (int i = from; i < to; i++) {
      if (acked.get(i) == 0) {
        continue;
      }
      long sent = sentAt.get(i);
      long slowest = 0;
      long first = Long.MAX_VALUE;
      acknowledged.add(acked.get(i) - sent);
      generatorLag.add(writtenAt.get(i) - sent);
      if (serverTime.get(i) >= 0) {
        handled.add(serverTime.get(i));
      }
      if (committedAt.get(i) != 0) {
        committed.add(committedAt.get(i) - sent);
      }
      for (long[] client : after.receivedAt()) {
        long got = client[i - from];
        if (got == 0) {
          lost++;
        } else {
          latencies.add(got - sent);
          slowest = Math.max(slowest, got - sent);
          first = Math.min(first, got - sent);
        }
      }
      if (slowest > 0 && committedAt.get(i) != 0) {
        stages.add(TailSplit.stages(writtenAt.get(i) - sent, acked.get(i) - sent, serverTime.get(i), committedAt.get(i) - sent,
            first, slowest));
      }
      if (slowest > 0) {
        lastClient.add(slowest);
      }
    }
    r.latency = latencies.summary();
    r.lastClient = lastClient.summary();
    r.committed = committed.summary();
    r.acknowledged = acknowledged.summary();
    r.handled = handled.summary();
    r.generatorLag = generatorLag.summary();
    r.wakeUps = wakeUps;
    r.tail = TailSplit.of(stages, 0.01);
    r.p50 = latencies.quantileMs(0.5);
    r.lost = lost;
    r.duplicates = after.duplicates() - before.duplicates();
    r.gaps = after.gaps() - before.gaps();
    r.closed = after.closed();
    r.frames = after.frames() - before.frames();
    r.bytes = after.bytes() - before.bytes();
    r.displayFrames = after.displayFrames() - before.displayFrames();
    r.displayBytes = after.displayBytes() - before.displayBytes();
    if (after.cpuNanos() >= 0) {
      r.screensCpu = String.format("%.1f s (%.0f%% of 1 core), GC pauses %.2f s", (after.cpuNanos() - before.cpuNanos()) / 1e9,
          (after.cpuNanos() - before.cpuNanos()) / 1e7 / wall, (after.gcMillis() - before.gcMillis()) / 1e3);
    }
    r.cpu = cpu;
    System.gc();
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    r.heapAfterGc = memory.getHeapMemoryUsage().getUsed();
    r.load = loadAverage();
    return r;
  }

  private static final class Result {
    String name;
    int rate;
    double seconds;
    double sendSeconds;
    int sent;
    int rejected;
    int failed;
    int acked;
    int clients;
    double drained;
    double wall;
    String latency;
    String lastClient;
    String committed;
    String acknowledged;
    String handled;
    String generatorLag;
    String tail;
    String wakeUps;
    double p50;
    long lost;
    long duplicates;
    long gaps;
    List<String> closed;
    long frames;
    long bytes;
    long displayFrames;
    long displayBytes;
    String cpu;
    String screensCpu;
    long heapAfterGc;
    String load;

    void print() {
      System.out.printf("%n=== webhook -> kitchen screens, %d webhooks/s for %.0f s, %d clients ===%n", rate, seconds, clients);
      System.out.printf("  webhooks sent      %d in %.2f s (%.0f/s): acknowledged %d, rejected (non-2xx) %d, failed (no answer) %d%n",
          sent, sendSeconds, sent / sendSeconds, acked, rejected, failed);
      System.out.printf("  end-to-end         %s  (webhook sent -> new_paid_order received, every client x order)%n", latency);
      System.out.printf("  slowest client     %s  (per webhook, the last client to hear of it)%n", lastClient);
      System.out.printf("  acknowledged       %s  (webhook sent -> its 2xx: journaled, not yet processed)%n", acknowledged);
      System.out.printf("  of which handled   %s  (the server's own time, its Server-Timing; the rest is waiting)%n", handled);
      System.out.printf("  generator lag      %s  (webhook due -> its request written: the load generator's own delay)%n",
          generatorLag);
      System.out.println("  slowest 1%, mean   " + tail);
      System.out.printf("  wake-up lag        %s  (an idle process's 1 ms sleeps meanwhile: how late they woke, i.e."
          + " what any thread here waits for a core)%n", wakeUps);
      System.out.printf("  committed          %s  (webhook sent -> its payment's transaction committed; the rest is fan-out)%n",
          committed);
      System.out.printf("  lost events        %d (client x acknowledged order pairs with no new_paid_order after a %.1f s drain)%n", lost,
          drained);
      System.out.printf("  duplicates         %d, seq gaps %d, clients closed %s%n", duplicates, gaps, closed.isEmpty() ? "none" : closed);
      System.out.printf("  frames to clients  %d (%.0f/s per client), %.1f MiB (%.1f MiB/s in all)%n", frames,
          frames / wall / Math.max(1, clients), bytes / 1048576.0, bytes / 1048576.0 / wall);
      System.out.printf("  kitchen_display_updated  %d frames, mean %.1f KiB each, %.0f%% of bytes%n", displayFrames,
          displayFrames == 0 ? 0 : displayBytes / 1024.0 / displayFrames, bytes == 0 ? 0 : 100.0 * displayBytes / bytes);
      System.out.println("  CPU                " + cpu);
      if (screensCpu != null) {
        System.out.println("  clients' own JVM   CPU " + screensCpu);
      }
      System.out.printf("  heap used after GC %.0f MiB; load average now %s%n", heapAfterGc / 1048576.0, load);
    }
  }

  // ---- measurements ----

  private static final String[] THREAD_GROUPS = {"server: HTTP", "server: webhook worker", "server: WebSocket",
      "server: other", "load generator (+ clients in this JVM)"};

  /** The benchmark's own threads (clients, senders, pacing) against the server's parts (see CpuSplit). */
  private static String threadGroup(String thread) {
    if (thread.equals(Thread.currentThread().getName()) || thread.startsWith("WebSocketConnectReadThread")
        || thread.startsWith("WebSocketWriteThread") || thread.startsWith("bench-")) {
      return "load generator (+ clients in this JVM)";
    } else if (thread.startsWith("http-") || thread.startsWith("HTTP-Dispatcher")) {
      return "server: HTTP";
    } else if (thread.startsWith("queue-webhook-processing")) {
      return "server: webhook worker";
    } else if (thread.startsWith("WebSocket") || thread.startsWith("ws-")) {
      return "server: WebSocket";
    }
    return "server: other";
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (java.io.IOException e) {
      return "n/a";
    }
  }

  private static int intArg(String[] args, String name, int fallback) {
    return Integer.parseInt(stringArg(args, name, String.valueOf(fallback)));
  }

  private static String stringArg(String[] args, String name, String fallback) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return fallback;
  }
}
