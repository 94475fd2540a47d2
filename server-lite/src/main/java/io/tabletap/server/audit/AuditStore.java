package io.tabletap.server.audit;

import java.util.List;
import java.util.function.Function;

/**
 * Persistence of the audit log (the port; {@code store.JdbcAuditStore} is the adapter). Rows are
 * only ever inserted, in {@code seq} order, one after another.
 */
public interface AuditStore {

  /** The end of the chain: the last row's seq and hash; 0 and {@link AuditChain#GENESIS_HASH} when empty. */
  record Head(long seq, String hash) {}

  /** @param created false when a row with the dedupe key existed and was returned as it is */
  record Appended(AuditRecord record, boolean created) {}

  /**
   * Appends one row, serialised with every other append so that the rows form one chain.
   *
   * <p>In one transaction: locks the chain head; if {@code dedupeKey} is not null and a row has it,
   * returns that row and writes nothing (without calling {@code seal}); otherwise calls {@code seal}
   * with the head, inserts the row it returns (which must be {@code head.seq + 1}, link to {@code
   * head.hash} and carry {@code dedupeKey}) and moves the head to it. An exception from {@code seal}
   * rolls back and propagates.
   *
   * @param dedupeKey null for none
   */
  Appended append(String dedupeKey, Function<Head, AuditRecord> seal);

  /** One row to append with {@link #appendAll}. */
  record Pending(String dedupeKey, Function<Head, AuditRecord> seal) {}

  /**
   * Appends several rows in order, as {@link #append} does each, in one transaction: the head is
   * locked and moved once, and a dedupe key seen earlier in the same call counts as existing. The
   * way a transaction's recorded rows are written at its commit (a webhook batch: about three
   * rows per webhook, each of which cost four statements on its own).
   */
  default List<Appended> appendAll(List<Pending> rows) {
    return rows.stream().map(r -> append(r.dedupeKey(), r.seal())).toList();
  }

  /** Up to {@code limit} rows with {@code seq > afterSeq} that pass {@code filter}, in seq order. */
  List<AuditRecord> list(AuditFilter filter, long afterSeq, int limit);

  /** The chain head as last committed. */
  Head head();
}
