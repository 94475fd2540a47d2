package io.tabletap.server.tx;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One {@link Batch} per transaction for one owner (the audit log, the room hub, the state
 * listeners): what the calling thread's open transaction gathered for its end. The batch is made
 * and tied to the transaction on first use, and stops taking items when its {@code beforeCommit}
 * begins or the transaction rolled back; a part of the transaction that is undone (a savepoint)
 * takes back the items it added. Thread-safe: each thread sees its own transaction's batch.
 *
 * <pre>{@code
 * private final PerTransaction<Rows> pending = new PerTransaction<>(transactions, Rows::new);
 * pending.current().ifPresentOrElse(rows -> rows.add(row), () -> writeNow(row));
 * }</pre>
 *
 * @param <B> the owner's batch: what it does with the items at the transaction's end
 */
public final class PerTransaction<B extends PerTransaction.Batch<?>> {
  private final Transactions transactions;
  private final Supplier<B> create;
  private final ThreadLocal<B> open = new ThreadLocal<>();

  public PerTransaction(Transactions transactions, Supplier<B> create) {
    this.transactions = transactions;
    this.create = create;
  }

  /** The open transaction's batch; empty when the calling thread has no transaction. */
  public Optional<B> current() {
    if (!transactions.inTransaction()) {
      return Optional.empty();
    }
    B batch = open.get();
    if (batch == null) {
      batch = create.get();
      open.set(batch);
      transactions.atEnd(new Closing(batch));
    }
    return Optional.of(batch);
  }

  /** The items a transaction gathered, and what becomes of them at its end (a {@link CommitHook}). */
  public abstract static class Batch<T> implements CommitHook {
    protected final List<T> items = new ArrayList<>();

    public void add(T item) {
      items.add(item);
    }

    public void addAll(Collection<? extends T> more) {
      items.addAll(more);
    }

    @Override
    public final Object mark() {
      return items.size();
    }

    @Override
    public final void rollbackTo(Object mark) {
      items.subList((Integer) mark, items.size()).clear();
    }
  }

  /** The batch as its transaction sees it: closed to new items once its end has begun. */
  private final class Closing implements CommitHook {
    private final B batch;

    Closing(B batch) {
      this.batch = batch;
    }

    @Override
    public int stage() {
      return batch.stage();
    }

    @Override
    public Object mark() {
      return batch.mark();
    }

    @Override
    public void rollbackTo(Object mark) {
      batch.rollbackTo(mark);
    }

    @Override
    public void beforeCommit() {
      open.remove(); // what the end itself adds goes to a batch of its own
      batch.beforeCommit();
    }

    @Override
    public void afterCommit() {
      batch.afterCommit();
    }

    @Override
    public void afterRollback() {
      open.remove();
      batch.afterRollback();
    }
  }
}
