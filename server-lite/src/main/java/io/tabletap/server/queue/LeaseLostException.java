package io.tabletap.server.queue;

import java.util.UUID;

/**
 * The running job is no longer this worker's: its lease ran out and the stalled check gave it back
 * to the queue, or the queue released it while stopping. Whatever the handler does next for it is
 * not recorded; it should stop.
 */
public final class LeaseLostException extends RuntimeException {
  public LeaseLostException(UUID jobId) {
    super("Job " + jobId + " is no longer held by this worker");
  }
}
