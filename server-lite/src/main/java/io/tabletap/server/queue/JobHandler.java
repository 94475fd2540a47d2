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

  /**
   * Whether {@link #process} runs inside the transaction that completes the job: every write it
   * makes through the {@code Database} (which joins the thread's transaction) commits with the
   * job's COMPLETED, or, if it throws or the job was taken back meanwhile, none of them does. So a
   * crash, a stall or a failure never leaves the work half done, and a job whose completion
   * committed never runs again. For handlers whose work is all in this database and short (the
   * webhook job); not for ones that call out to a provider while holding the transaction open.
   * Such a handler should not report progress (it would only be seen at the end).
   */
  default boolean atomic() {
    return false;
  }

  /** {@code handler} as an {@link #atomic()} one. */
  static JobHandler atomically(JobHandler handler) {
    return new JobHandler() {
      @Override
      public void process(Job job, JobContext ctx) throws Exception {
        handler.process(job, ctx);
      }

      @Override
      public boolean atomic() {
        return true;
      }
    };
  }
}
