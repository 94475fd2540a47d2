package io.tabletap.server.queue;

/**
 * Runs jobs of one name. Called on a worker thread (or on the caller's, with
 * {@link Queue#runOnce()}), with the job already claimed: returning completes it; throwing fails
 * the attempt, which is retried with the job's backoff while it has attempts left
 * ({@link UnrecoverableJobException} fails it for good at once).
 *
 * <p>A job can run more than once (its worker stalled, the process died after the work but before
 * the completion was recorded): handlers must be idempotent, e.g. by the provider's event id.
 */
@FunctionalInterface
public interface JobHandler {
  void process(Job job, JobContext ctx) throws Exception;
}
