package io.tabletap.server.queue;

/** What a handler can tell the queue about the job it is running. Used on the handler's thread. */
public interface JobContext {

  /**
   * Records how far the job got, 0 to 100: stored on the job (the admin API shows it) and
   * published as {@code job.progress}.
   *
   * @throws IllegalArgumentException outside 0 to 100
   * @throws LeaseLostException if the job is no longer this worker's
   */
  void progress(int percent);

  /**
   * True once the job is no longer this worker's (lease lost) or the queue is stopping and the
   * grace period is over: stop as soon as possible; the outcome will not be recorded.
   */
  boolean isCancelled();
}
