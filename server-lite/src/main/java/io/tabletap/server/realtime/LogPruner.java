package io.tabletap.server.realtime;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Prunes the event log ({@link RoomHub#prune()}) on start and every ten minutes, on its own daemon thread. */
public final class LogPruner implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LogPruner.class);
  private static final long PERIOD_MINUTES = 10;

  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "realtime-pruner");
    thread.setDaemon(true);
    return thread;
  });

  private LogPruner() {}

  public static LogPruner start(RoomHub hub) {
    LogPruner pruner = new LogPruner();
    pruner.timer.scheduleWithFixedDelay(() -> {
      try {
        int deleted = hub.prune();
        if (deleted > 0) {
          log.info("Pruned {} real-time events outside the replay window", deleted);
        }
      } catch (RuntimeException e) {
        log.warn("Pruning the real-time event log failed; will try again", e);
      }
    }, 0, PERIOD_MINUTES, TimeUnit.MINUTES);
    return pruner;
  }

  /** Waits for a prune in progress (H2 must not be interrupted), then stops. */
  @Override
  public void close() {
    timer.shutdown();
    try {
      if (!timer.awaitTermination(30, TimeUnit.SECONDS)) {
        log.warn("A prune is still running after 30 s; leaving it");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
