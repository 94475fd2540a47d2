package io.tabletap.server.queue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threaded mode of one queue: {@code concurrency} daemon threads, each claiming and running
 * one job at a time. An idle thread sleeps until {@link #wake()} (a job was added or became ready
 * in this process), the next DELAYED job is due, or the poll interval passed, whichever is first.
 * A wake-up counter makes a wake between "found nothing" and "sleep" count. Thread-safe.
 */
final class WorkerPool {
  private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);

  private final QueueConfig config;
  private final JobRunner runner;
  private final Object signal = new Object();
  private final List<Thread> threads = new ArrayList<>();
  private long wakeUps;
  private volatile boolean stopping;

  WorkerPool(QueueConfig config, JobRunner runner) {
    this.config = config;
    this.runner = runner;
  }

  synchronized void start() {
    // A batching queue runs one worker: its batch is already as wide as the work waiting, and two
    // batch transactions claiming jobs would wait on each other's claimed rows (a deadlock H2 broke
    // by rolling one back, measured in the webhook benchmark).
    int workers = runner.isBatching() ? 1 : config.concurrency();
    for (int i = 0; i < workers; i++) {
      int slot = i;
      Thread thread = new Thread(() -> loop(slot), "queue-" + config.name() + "-" + (i + 1));
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
  }

  void wake() {
    synchronized (signal) {
      wakeUps++;
      signal.notifyAll();
    }
  }

  private void loop(int slot) {
    while (!stopping) {
      long seen;
      synchronized (signal) {
        seen = wakeUps;
      }
      Duration wait;
      try {
        if (runner.runNext(slot)) {
          Thread.interrupted(); // a release's interrupt is for the handler that ended, not for us
          continue;
        }
        wait = runner.idleWait();
      } catch (RuntimeException e) {
        log.warn("Worker of {} failed; trying again in {} ms", config.name(), config.retryProcessDelay().toMillis(), e);
        wait = config.retryProcessDelay();
      }
      if (!sleep(seen, wait)) {
        runner.duePossiblyChanged(); // the poll: look at DELAYED jobs again too
      }
    }
  }

  /** Sleeps until woken (true) or {@code wait} passed (false). */
  private boolean sleep(long seen, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    synchronized (signal) {
      while (wakeUps == seen && !stopping) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(signal, left);
        } catch (InterruptedException e) {
          return true;
        }
      }
      return true;
    }
  }

  /** No more claims; idle threads leave at once, busy ones after their job. */
  void beginStop() {
    stopping = true;
    runner.stopClaiming();
    wake();
  }

  /** Waits until every thread has left, up to {@code deadlineNanos} ({@link System#nanoTime()}). */
  boolean awaitThreads(long deadlineNanos) {
    for (Thread thread : snapshot()) {
      long left = deadlineNanos - System.nanoTime();
      try {
        if (left > 0) {
          TimeUnit.NANOSECONDS.timedJoin(thread, left);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      if (thread.isAlive()) {
        return false;
      }
    }
    return true;
  }

  private synchronized List<Thread> snapshot() {
    return List.copyOf(threads);
  }
}
