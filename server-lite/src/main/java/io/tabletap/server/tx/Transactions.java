package io.tabletap.server.tx;

/**
 * The calling thread's database transaction, as far as code that must not see the database needs
 * to know it: whether there is one, and work to run when it ends. The real one is the store's
 * {@code Database}; {@link #NONE} is for code that runs without one (tests of a single piece).
 *
 * <p>Why: a change and the events that report it must commit together (the real-time event log,
 * the audit log), and nothing may be told to the outside world before the commit.
 */
public interface Transactions {
  /**
   * Runs {@code work} in one transaction (joining the calling thread's, if it has one): every
   * database write inside, and the audit rows and room events it records, commit together.
   */
  <T> T run(java.util.function.Supplier<T> work);

  /** Whether the calling thread is inside a transaction now. */
  boolean inTransaction();

  /**
   * Ties {@code hook} to the calling thread's transaction. Without one it runs at once:
   * {@code beforeCommit}, then {@code afterCommit} (or {@code afterRollback} if that threw, and
   * the exception is rethrown).
   */
  void atEnd(CommitHook hook);

  /** No transactions at all: every hook runs at once. */
  Transactions NONE = new Transactions() {
    @Override
    public <T> T run(java.util.function.Supplier<T> work) {
      return work.get();
    }

    @Override
    public boolean inTransaction() {
      return false;
    }

    @Override
    public void atEnd(CommitHook hook) {
      runNow(hook);
    }
  };

  /** What {@link #atEnd} does without a transaction. */
  static void runNow(CommitHook hook) {
    try {
      hook.beforeCommit();
    } catch (RuntimeException e) {
      hook.afterRollback();
      throw e;
    }
    hook.afterCommit();
  }
}
