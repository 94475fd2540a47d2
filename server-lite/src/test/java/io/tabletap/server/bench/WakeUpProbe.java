package io.tabletap.server.bench;

import io.tabletap.server.testing.JavaProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * How long a thread that wakes up waits for a core on this machine while a benchmark runs: a JVM
 * of its own that sleeps 1 ms at a time and records how late each sleep ends. Every hand-over on a
 * webhook's way (load generator, HTTP dispatcher and handler, worker, WebSocket selector, each
 * screen's reader) is such a wake-up, so this is the floor that scheduling puts under the
 * end-to-end tail, whatever the server does. In its own JVM, so that neither the server's nor the
 * screens' collections and safepoints stop it.
 *
 * <p>{@link #start()} starts it; {@link #report()} stops it and returns its figures. Its own
 * main reads "report" on stdin and answers with one line.
 */
final class WakeUpProbe implements AutoCloseable {
  private static final long SLEEP_NANOS = 1_000_000;
  private final Process process;

  private WakeUpProbe(Process process) {
    this.process = process;
  }

  static WakeUpProbe start() throws IOException {
    return new WakeUpProbe(JavaProcess.of(WakeUpProbe.class, List.of("-Xmx32m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"))
        .redirectError(ProcessBuilder.Redirect.INHERIT).start());
  }

  /** Stops the probe and returns its figures as a line of text. */
  String report() throws IOException {
    PrintWriter out = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
    out.println("report");
    String line = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)).readLine();
    return line == null ? "no answer" : line;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }

  public static void main(String[] args) throws IOException {
    Latencies late = new Latencies();
    Thread sleeper = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        long start = System.nanoTime();
        LockSupport.parkNanos(SLEEP_NANOS);
        late.add(System.nanoTime() - start - SLEEP_NANOS);
      }
    }, "wake-up-probe");
    sleeper.setDaemon(true);
    sleeper.start();
    new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine(); // "report", or the end
    System.out.println(summary(late));
  }

  /** p50/p99/p99.9/max of how late the sleeps woke, and the share later than 2 and 5 ms. */
  static String summary(Latencies late) {
    if (late.size() == 0) {
      return "n=0";
    }
    return String.format("n=%d p50=%.2f ms p99=%.2f ms p99.9=%.2f ms max=%.2f ms; later than 2 ms %.2f%%, than 5 ms %.2f%%",
        late.size(), late.quantileMs(0.5), late.quantileMs(0.99), late.quantileMs(0.999), late.quantileMs(1.0),
        late.percentOver(2_000_000), late.percentOver(5_000_000));
  }
}
