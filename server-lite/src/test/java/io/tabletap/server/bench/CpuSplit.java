package io.tabletap.server.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The process's CPU time and each live thread's, taken at one moment, so a benchmark can say where
 * a window's CPU went: per group of threads (named by the benchmark's {@code group} function, or
 * null to leave a thread to the remainder), and the remainder (the JIT compiler, the GC, and
 * threads that ended in between), which no live thread accounts for.
 */
final class CpuSplit {
  static final String REST = "JIT/GC/exited threads";

  private final long process;
  private final Map<Long, Long> threadNanos;
  private final Map<Long, String> threadNames;
  private final long gcMillis;

  private CpuSplit(long process, Map<Long, Long> threadNanos, Map<Long, String> threadNames, long gcMillis) {
    this.process = process;
    this.threadNanos = threadNanos;
    this.threadNames = threadNames;
    this.gcMillis = gcMillis;
  }

  static CpuSplit now() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Map<Long, Long> nanos = new HashMap<>();
    Map<Long, String> names = new HashMap<>();
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null) {
        long cpu = threads.getThreadCpuTime(info.getThreadId());
        if (cpu >= 0) {
          nanos.put(info.getThreadId(), cpu);
          names.put(info.getThreadId(), info.getThreadName());
        }
      }
    }
    long process = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    long gc = ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(b -> Math.max(0, b.getCollectionTime())).sum();
    return new CpuSplit(process, nanos, names, gc);
  }

  /** The process's CPU nanoseconds since {@code before}. */
  long processSince(CpuSplit before) {
    return process - before.process;
  }

  /**
   * CPU nanoseconds since {@code before} per group, in {@code order}, then {@link #REST}.
   * {@code ended}: CPU of threads that ended in between, per group, as they measured it themselves.
   */
  Map<String, Long> since(CpuSplit before, Map<String, Long> ended, Function<String, String> group, String... order) {
    Map<String, Long> split = new LinkedHashMap<>();
    for (String name : order) {
      split.put(name, 0L);
    }
    long grouped = 0;
    for (Map.Entry<String, Long> part : ended.entrySet()) {
      split.merge(part.getKey(), part.getValue(), Long::sum);
      grouped += part.getValue();
    }
    for (Map.Entry<Long, Long> thread : threadNanos.entrySet()) {
      String name = group.apply(threadNames.get(thread.getKey()));
      if (name != null) {
        long used = thread.getValue() - before.threadNanos.getOrDefault(thread.getKey(), 0L);
        split.merge(name, used, Long::sum);
        grouped += used;
      }
    }
    split.put(REST, processSince(before) - grouped);
    return split;
  }

  /** "process 19.6 s in 10.0 s wall (196% of 1 core): HTTP server 4.1 s, …; GC pauses 0.3 s" */
  String describe(CpuSplit before, double wallSeconds, Map<String, Long> ended, Function<String, String> group, String... order) {
    StringBuilder text = new StringBuilder(String.format("process %.1f s in %.1f s wall (%.0f%% of 1 core):",
        processSince(before) / 1e9, wallSeconds, 100.0 * processSince(before) / 1e9 / wallSeconds));
    String separator = " ";
    for (Map.Entry<String, Long> part : since(before, ended, group, order).entrySet()) {
      text.append(separator).append(part.getKey()).append(String.format(" %.1f s", part.getValue() / 1e9));
      separator = ", ";
    }
    return text.append(String.format("; GC pauses %.2f s", (gcMillis - before.gcMillis) / 1e3)).toString();
  }
}
