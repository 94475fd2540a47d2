package io.tabletap.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link AuditLog#verify()} notices when someone with write access to the H2 file changes the
 * table behind the log's back, and what it cannot notice.
 */
class AuditTamperingTest {
  private static final int ROWS = 200;

  @TempDir Path dir;
  AuditOnH2 h2;
  List<AuditRecord> rows;

  @BeforeEach
  void open() {
    h2 = new AuditOnH2(dir);
    rows = h2.appendRows(ROWS);
    assertThat(h2.log.verify().ok()).isTrue();
  }

  @AfterEach
  void close() {
    h2.close();
  }

  @Test
  void anEditedColumnIsReportedAtItsRow() {
    h2.execute("UPDATE audit_log SET reason = 'nothing to see' WHERE seq = 77");

    assertBroken(h2.log.verify(), 77, 76, "content hash mismatch");
  }

  @Test
  void anyEditedColumnCounts() {
    h2.execute("UPDATE audit_log SET details = '{\"amount\":1,\"n\":130}' WHERE seq = 130");
    assertBroken(h2.log.verify(), 130, 129, "content hash mismatch");

    h2.execute("UPDATE audit_log SET occurred_at = ? WHERE seq = 20", rows.get(19).occurredAt().plusSeconds(3600).atOffset(ZoneOffset.UTC));
    assertBroken(h2.log.verify(), 20, 19, "content hash mismatch");
  }

  @Test
  void aDeletedRowIsASeqGapAtTheMissingSeq() {
    h2.execute("DELETE FROM audit_log WHERE seq = 77");

    assertBroken(h2.log.verify(), 77, 76, "seq gap");
  }

  @Test
  void anEditedRowWithARecomputedHashBreaksTheLinkOfTheNextRow() {
    AuditRecord original = rows.get(76);
    AuditRecord forged = new AuditRecord(original.seq(), original.occurredAt(), original.type(), original.actor(), "nothing to see",
        original.subject(), original.cafeId(), original.details(), original.dedupeKey(), original.prevHash(), null);
    h2.execute("UPDATE audit_log SET reason = ?, hash = ? WHERE seq = 77", forged.reason(), AuditChain.hashOf(forged));

    assertBroken(h2.log.verify(), 78, 77, "prev_hash mismatch");
  }

  @Test
  void removingTheNewestRowsIsNoticedThroughTheChainHead() {
    h2.execute("DELETE FROM audit_log WHERE seq > 190");

    assertBroken(h2.log.verify(), 191, 190, "missing at the end");
  }

  @Test
  void aRowInsertedBehindTheLogsBackIsNotInTheChain() {
    AuditRecord last = rows.get(ROWS - 1);
    Instant at = last.occurredAt().plusSeconds(1);
    String hash = AuditChain.hash(ROWS + 1, at, "test.step", "intruder", null, null, null, "{}", null, last.hash());
    h2.execute("INSERT INTO audit_log (seq, occurred_at, type, actor, details, prev_hash, hash) VALUES (?,?,?,?,?,?,?)",
        ROWS + 1, at.atOffset(ZoneOffset.UTC), "test.step", "intruder", "{}", last.hash(), hash);

    assertBroken(h2.log.verify(), ROWS + 1, ROWS, "not in the chain");
  }

  /** The limit decision 0013 names: only a head hash kept elsewhere shows this. */
  @Test
  void rewritingEveryRowFromAnEditOnAndTheHeadGoesUnnoticedExceptByTheHeadHash() {
    String anchored = h2.log.verify().headHash();
    String prev = rows.get(75).hash();
    for (AuditRecord r : rows.subList(76, ROWS)) {
      AuditRecord forged = new AuditRecord(r.seq(), r.occurredAt(), r.type(), r.actor(), r.seq() == 77 ? "rewritten" : r.reason(),
          r.subject(), r.cafeId(), r.details(), r.dedupeKey(), prev, null);
      prev = AuditChain.hashOf(forged);
      h2.execute("UPDATE audit_log SET reason = ?, prev_hash = ?, hash = ? WHERE seq = ?", forged.reason(), forged.prevHash(), prev,
          r.seq());
    }
    h2.execute("UPDATE audit_chain_head SET last_hash = ? WHERE id = 1", prev);

    VerifyResult result = h2.log.verify();
    assertThat(result.ok()).isTrue();
    assertThat(result.headHash()).isNotEqualTo(anchored);
  }

  @Test
  void verifyingWhileAnotherThreadAppendsNeverReportsABreak() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    Future<?> appending = pool.submit(() -> h2.appendRows(150));
    List<VerifyResult> results = new ArrayList<>();
    while (!appending.isDone()) {
      results.add(h2.log.verify());
    }
    appending.get(60, TimeUnit.SECONDS);
    pool.shutdown();
    results.add(h2.log.verify());

    assertThat(results).allSatisfy(r -> assertThat(r.ok()).as(r.reason()).isTrue());
    assertThat(results.get(results.size() - 1).checkedRows()).isEqualTo(ROWS + 150);
  }

  private static void assertBroken(VerifyResult result, long seq, long checkedRows, String reason) {
    assertThat(result.ok()).isFalse();
    assertThat(result.firstBrokenSeq()).isEqualTo(seq);
    assertThat(result.checkedRows()).isEqualTo(checkedRows);
    assertThat(result.reason()).contains(reason);
    assertThat(result.headHash()).isNull();
  }
}
