package io.tabletap.server.tx;

/**
 * Work tied to the end of a transaction: {@link #beforeCommit()} runs inside it, as its last
 * step (its writes commit with the rest, and a failure there rolls everything back); then exactly
 * one of {@link #afterCommit()} or {@link #afterRollback()} runs, outside any transaction.
 */
public interface CommitHook {
  /**
   * When its {@link #beforeCommit()} runs among the transaction's hooks: lower first, equal ones
   * in the order they were added. Hooks that take locks use fixed stages, so that every
   * transaction takes those locks in the same order (audit chain head, then room locks) and two
   * committing transactions never wait for each other in a circle.
   */
  default int stage() {
    return 0;
  }

  /**
   * Where the hook's collected work stands now. A part of the transaction can be undone (a
   * savepoint, when a transaction joined by another one fails): then {@link #rollbackTo} gets
   * the mark taken when that part began.
   */
  default Object mark() {
    return null;
  }

  /** The part of the transaction after {@code mark} was undone: forget what was collected since. */
  default void rollbackTo(Object mark) {}

  /** Last writes of the transaction; throwing rolls it back. */
  default void beforeCommit() {}

  /** The transaction committed: tell the world. Exceptions are logged, not rethrown. */
  default void afterCommit() {}

  /** The transaction rolled back (also after {@link #beforeCommit()} threw): undo what is held. */
  default void afterRollback() {}
}
