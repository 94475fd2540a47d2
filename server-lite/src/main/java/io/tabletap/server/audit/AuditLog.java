package io.tabletap.server.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tabletap.server.json.Json;
import io.tabletap.server.tx.PerTransaction;
import io.tabletap.server.tx.Transactions;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The audit log: an append-only, hash-chained record of who did what to money and to the webhook
 * pipeline (docs/decisions/0013). Thread-safe; share one.
 *
 * <p>{@link #append} is how anything writes to it: the payment events arrive through {@link
 * AuditRecorder}, the webhook pipeline and the job queue call it themselves. Each row's hash covers
 * its content and the previous row's hash, so {@link #verify()} notices a row that was changed,
 * removed or inserted afterwards. The contract of {@link AuditEntry} holds for every row: no
 * secrets.
 */
public final class AuditLog {
  /** The most rows {@link #list} returns at once. */
  public static final int MAX_LIMIT = 500;
  /** The longest {@code details} JSON, in characters. */
  public static final int MAX_DETAILS_LENGTH = 8000;
  private static final int VERIFY_PAGE = 1000;
  private static final ObjectWriter DETAILS = Json.mapper().writer().with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private final AuditStore store;
  private final Clock clock;
  private final int verifyPage;
  /** The entries {@link #record}ed in the calling thread's open transaction. */
  private final PerTransaction<AtCommit> pending;

  public AuditLog(AuditStore store, Clock clock) {
    this(store, clock, Transactions.NONE);
  }

  /** @param transactions the database's, for {@link #record} */
  public AuditLog(AuditStore store, Clock clock, Transactions transactions) {
    this(store, clock, VERIFY_PAGE, transactions);
  }

  /** @param verifyPage how many rows {@link #verify()} reads at once */
  AuditLog(AuditStore store, Clock clock, int verifyPage) {
    this(store, clock, verifyPage, Transactions.NONE);
  }

  private AuditLog(AuditStore store, Clock clock, int verifyPage, Transactions transactions) {
    this.store = store;
    this.clock = clock;
    this.verifyPage = verifyPage;
    this.pending = new PerTransaction<>(transactions, AtCommit::new);
  }

  /**
   * Appends {@code entry} with the calling thread's transaction, as one of its last writes, so the
   * row commits with the change it records or not at all; without a transaction, at once (as
   * {@link #append}). The chain's head is locked only from there to the commit, so transactions
   * that record rows wait for each other for that moment only, not for their whole work. Rows of
   * one transaction keep the order they were recorded in.
   *
   * @throws IllegalArgumentException at once if the details are not JSON-able or too long
   */
  public void record(AuditEntry entry) {
    String details = json(entry); // refuse bad entries now, not at the commit
    pending.current().ifPresentOrElse(rows -> rows.add(new Row(entry, details)), () -> write(entry, details));
  }

  private record Row(AuditEntry entry, String details) {}

  /** The entries of one transaction, appended together just before it commits. */
  private final class AtCommit extends PerTransaction.Batch<Row> {
    @Override
    public int stage() {
      return STAGE;
    }

    @Override
    public void beforeCommit() {
      store.appendAll(items.stream().map(row -> sealed(row.entry(), row.details())).toList());
    }
  }

  /** Audit rows are written before a transaction's room events: one order of locks for everyone. */
  public static final int STAGE = 10;

  /**
   * Writes {@code entry} as the next row of the chain and returns it. If the entry has a dedupe
   * key that a row has already, writes nothing and returns that row (the first row wins; a retried
   * step is harmless). Committed when this returns.
   *
   * @throws IllegalArgumentException if the details are not JSON-able or longer than {@link #MAX_DETAILS_LENGTH}
   * @throws RuntimeException from the store if the database fails; nothing was written then
   */
  public AuditRecord append(AuditEntry entry) {
    return write(entry, json(entry));
  }

  private AuditRecord write(AuditEntry entry, String details) {
    AuditStore.Pending row = sealed(entry, details);
    return store.append(row.dedupeKey(), row.seal()).record();
  }

  /** The entry as a row waiting for its place in the chain. */
  private AuditStore.Pending sealed(AuditEntry entry, String details) {
    Instant at = (entry.occurredAt() != null ? entry.occurredAt() : clock.instant()).truncatedTo(ChronoUnit.MILLIS);
    return new AuditStore.Pending(entry.dedupeKey(), head -> {
      long seq = head.seq() + 1;
      String hash = AuditChain.hash(seq, at, entry.type(), entry.actor(), entry.reason(), entry.subject(), entry.cafeId(), details,
          entry.dedupeKey(), head.hash());
      return new AuditRecord(seq, at, entry.type(), entry.actor(), entry.reason(), entry.subject(), entry.cafeId(), details,
          entry.dedupeKey(), head.hash(), hash);
    });
  }

  /**
   * Up to {@code limit} rows (1 to {@link #MAX_LIMIT}) with {@code seq > afterSeq} that pass
   * {@code filter}, oldest first. To page on, pass the last seq seen as {@code afterSeq}.
   */
  public List<AuditRecord> list(AuditFilter filter, int limit, long afterSeq) {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be 1 to " + MAX_LIMIT + ": " + limit);
    }
    return store.list(filter, Math.max(0, afterSeq), limit);
  }

  /**
   * Walks the whole chain from row 1: each row must have the next seq, the hash of its own content,
   * and the previous row's hash as its {@code prev_hash}; the chain head must name the last row.
   * Stops at the first row that breaks. Appends may go on meanwhile: rows they add are checked too.
   */
  public VerifyResult verify() {
    long checked = 0;
    String prev = AuditChain.GENESIS_HASH;
    while (true) {
      AuditStore.Head before = store.head();
      List<AuditRecord> page = store.list(AuditFilter.ALL, checked, verifyPage);
      for (AuditRecord row : page) {
        long expected = checked + 1;
        if (row.seq() != expected) {
          return VerifyResult.broken(checked, expected, "seq gap: row " + expected + " is missing (the next row is " + row.seq() + ")");
        }
        if (!AuditChain.hashOf(row).equals(row.hash())) {
          return VerifyResult.broken(checked, row.seq(), "content hash mismatch: the row was changed after it was written");
        }
        if (!row.prevHash().equals(prev)) {
          return VerifyResult.broken(checked, row.seq(), "prev_hash mismatch: it is not the hash of "
              + (row.seq() == 1 ? "the genesis (64 zeros)" : "row " + (row.seq() - 1)) + "; the row before was rewritten, or this one");
        }
        prev = row.hash();
        checked = row.seq();
      }
      if (page.size() == verifyPage) {
        continue;
      }
      // The end of the rows as of the listing. Every row the head counted before it was there to see.
      if (checked < before.seq()) {
        return VerifyResult.broken(checked, checked + 1, "seq gap: rows " + (checked + 1) + " to " + before.seq()
            + " are missing at the end (the chain head names row " + before.seq() + ")");
      }
      AuditStore.Head after = store.head();
      if (checked > after.seq()) {
        return VerifyResult.broken(after.seq(), after.seq() + 1, "row " + (after.seq() + 1)
            + " is not in the chain: the chain head names row " + after.seq() + " as the last");
      }
      if (checked == after.seq()) {
        if (!after.hash().equals(prev)) {
          return VerifyResult.broken(Math.max(0, checked - 1), checked, "chain head mismatch: the head names another hash for row " + checked
              + " (the head or the chain was rewritten)");
        }
        return VerifyResult.intact(checked, prev);
      }
      // Rows were appended while we read: check them too.
    }
  }

  private static String json(AuditEntry entry) {
    String json;
    try {
      json = DETAILS.writeValueAsString(entry.details());
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("Audit details must be plain JSON values: " + e.getOriginalMessage(), e);
    }
    if (json.length() > MAX_DETAILS_LENGTH) {
      throw new IllegalArgumentException("Audit details are at most " + MAX_DETAILS_LENGTH + " characters of JSON");
    }
    return json;
  }
}
