package io.tabletap.server.bench;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * The real-time benchmark's WebSocket clients, in the benchmark's JVM ({@link LocalScreens}) or
 * in a JVM of their own ({@link ChildScreens}), as real screens are on devices of their own.
 */
interface Screens extends AutoCloseable {
  int size();

  /** How many (client, webhook) pairs with the webhook in [from, to) have had their new_paid_order. */
  long received(int from, int to) throws IOException;

  /** What the clients measured: their arrival times for webhooks [from, to) and their counters so far. */
  Tally tally(int from, int to) throws IOException;

  @Override
  void close() throws IOException, InterruptedException;

  /**
   * @param receivedAt per client, when it got webhook {@code from + k}'s new_paid_order (nanoTime,
   *     which on Linux is CLOCK_MONOTONIC: comparable between processes on one machine); 0 if not
   * @param closed the close codes of clients that were closed
   * @param cpuNanos the clients' JVM's CPU time so far, -1 when they share the benchmark's
   * @param gcMillis that JVM's collection time so far, -1 likewise
   */
  record Tally(long[][] receivedAt, long duplicates, long gaps, long frames, long bytes, long displayFrames,
      long displayBytes, List<String> closed, long cpuNanos, long gcMillis) {

    static Tally of(List<BenchScreen> screens, int from, int to, boolean ownJvm) {
      long[][] received = new long[screens.size()][to - from];
      long d = 0, g = 0, f = 0, b = 0, df = 0, db = 0;
      List<String> closed = new ArrayList<>();
      for (int c = 0; c < screens.size(); c++) {
        BenchScreen s = screens.get(c);
        for (int i = from; i < to; i++) {
          received[c][i - from] = s.receivedAt.get(i);
        }
        d += s.duplicates.get();
        g += s.gaps.get();
        f += s.frames.get();
        b += s.bytes.get();
        df += s.displayFrames.get();
        db += s.displayBytes.get();
        if (s.closeCode != -1) {
          closed.add(String.valueOf(s.closeCode));
        }
      }
      long cpu = -1;
      long gc = -1;
      if (ownJvm) {
        cpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        gc = ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(x -> Math.max(0, x.getCollectionTime())).sum();
      }
      return new Tally(received, d, g, f, b, df, db, closed, cpu, gc);
    }

    static long received(List<BenchScreen> screens, int from, int to) {
      long n = 0;
      for (BenchScreen s : screens) {
        for (int i = from; i < to; i++) {
          if (s.receivedAt.get(i) != 0) {
            n++;
          }
        }
      }
      return n;
    }

    void write(DataOutputStream out) throws IOException {
      out.writeInt(receivedAt.length);
      out.writeInt(receivedAt.length == 0 ? 0 : receivedAt[0].length);
      for (long[] client : receivedAt) {
        for (long at : client) {
          out.writeLong(at);
        }
      }
      for (long v : new long[] {duplicates, gaps, frames, bytes, displayFrames, displayBytes, cpuNanos, gcMillis}) {
        out.writeLong(v);
      }
      out.writeInt(closed.size());
      for (String code : closed) {
        out.writeUTF(code);
      }
    }

    static Tally read(DataInputStream in) throws IOException {
      long[][] received = new long[in.readInt()][];
      int width = in.readInt();
      for (int c = 0; c < received.length; c++) {
        received[c] = new long[width];
        for (int k = 0; k < width; k++) {
          received[c][k] = in.readLong();
        }
      }
      long[] v = new long[8];
      for (int k = 0; k < v.length; k++) {
        v[k] = in.readLong();
      }
      List<String> closed = new ArrayList<>();
      for (int n = in.readInt(); n > 0; n--) {
        closed.add(in.readUTF());
      }
      return new Tally(received, v[0], v[1], v[2], v[3], v[4], v[5], closed, v[6], v[7]);
    }
  }
}
