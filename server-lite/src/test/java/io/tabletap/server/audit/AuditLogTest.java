package io.tabletap.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Appending, listing and verifying on a real H2 file. */
class AuditLogTest {
  @TempDir Path dir;
  AuditOnH2 h2;
  AuditLog log;

  @BeforeEach
  void open() {
    h2 = new AuditOnH2(dir);
    log = h2.log;
  }

  @AfterEach
  void close() {
    h2.close();
  }

  @Test
  void manyAppendsFormOneChainFromTheGenesis() {
    List<AuditRecord> rows = h2.appendRows(600);

    assertThat(rows).as("one page at most").hasSize(AuditLog.MAX_LIMIT);
    List<AuditRecord> all = new ArrayList<>();
    for (long after = 0; ; ) {
      List<AuditRecord> page = log.list(AuditFilter.ALL, AuditLog.MAX_LIMIT, after);
      all.addAll(page);
      if (page.size() < AuditLog.MAX_LIMIT) {
        break;
      }
      after = page.get(page.size() - 1).seq();
    }
    assertThat(all).extracting(AuditRecord::seq).containsExactlyElementsOf(LongStream.rangeClosed(1, 600).boxed().toList());
    assertThat(all.get(0).prevHash()).isEqualTo("0".repeat(64));
    for (int i = 0; i < all.size(); i++) {
      AuditRecord row = all.get(i);
      assertThat(row.hash()).isEqualTo(AuditChain.hashOf(row));
      if (i > 0) {
        assertThat(row.prevHash()).as("row %d links to row %d", row.seq(), row.seq() - 1).isEqualTo(all.get(i - 1).hash());
      }
    }
    VerifyResult result = log.verify();
    assertThat(result).isEqualTo(new VerifyResult(true, 600, null, null, all.get(599).hash()));
  }

  @Test
  void anEmptyLogVerifiesWithTheGenesisAsItsHead() {
    assertThat(log.verify()).isEqualTo(new VerifyResult(true, 0, null, null, AuditChain.GENESIS_HASH));
  }

  @Test
  void aRowKeepsWhatWasAppendedStampedByTheClockToTheMillisecond() {
    h2.clock.set(Instant.parse("2026-11-25T23:00:00.123456789Z"));

    AuditRecord row = log.append(AuditEntry.of(AuditTypes.WEBHOOK_REJECTED, AuditEntry.provider("payconic"), "evt_1")
        .withReason("bad_signature").withDetails(Map.of("status", 401, "eventType", "payment.succeeded")));

    assertThat(row.seq()).isEqualTo(1);
    assertThat(row.occurredAt()).isEqualTo(Instant.parse("2026-11-25T23:00:00.123Z"));
    assertThat(row.actor()).isEqualTo("provider:payconic");
    assertThat(row.details()).isEqualTo("{\"eventType\":\"payment.succeeded\",\"status\":401}");
    assertThat(row.cafeId()).isNull();
    assertThat(h2.all()).containsExactly(row);
  }

  @Test
  void anAppendWithADedupeKeyThatExistsWritesNothingAndReturnsTheFirstRow() {
    AuditEntry entry = AuditEntry.of(AuditTypes.WEBHOOK_RECEIVED, AuditEntry.provider("payconic"), "evt_7")
        .withDedupeKey("webhook:payconic:evt_7:received");
    AuditRecord first = log.append(entry);
    log.append(AuditEntry.of("test.other", "system", null));
    h2.clock.advance(java.time.Duration.ofMinutes(5));

    AuditRecord again = log.append(entry.withReason("a retry that says something else"));

    assertThat(again).isEqualTo(first);
    assertThat(h2.all()).hasSize(2);
    assertThat(log.verify().ok()).isTrue();
  }

  @Test
  void eightThreadsAppendingAtOnceFormOneGapFreeChainAndShareNoDedupeKey() throws Exception {
    int threads = 8;
    int perThread = 30;
    int sharedKeys = 10;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      done.add(pool.submit(() -> {
        go.await();
        for (int i = 0; i < perThread; i++) {
          log.append(AuditEntry.of("test.race", "thread-" + thread, "s-" + i));
          if (i < sharedKeys) {
            // every thread tries to write the same ten steps: each may be written once
            log.append(AuditEntry.of("test.shared", "thread-" + thread, "k-" + i).withDedupeKey("shared:" + i));
          }
        }
        return null;
      }));
    }
    go.countDown();
    for (Future<?> f : done) {
      f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();

    long total = (long) threads * perThread + sharedKeys;
    List<AuditRecord> all = new ArrayList<>(log.list(AuditFilter.ALL, AuditLog.MAX_LIMIT, 0));
    assertThat(all).extracting(AuditRecord::seq).containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
    assertThat(log.list(new AuditFilter("test.shared", null, null), AuditLog.MAX_LIMIT, 0))
        .extracting(AuditRecord::dedupeKey).hasSize(sharedKeys).doesNotHaveDuplicates();
    VerifyResult result = log.verify();
    assertThat(result.ok()).as(result.reason()).isTrue();
    assertThat(result.checkedRows()).isEqualTo(total);
  }

  @Test
  void listingFiltersByTypeSubjectAndCafeAndPagesAfterASeq() {
    log.append(AuditEntry.of("test.a", "system", "p-1").withCafe("demo"));
    log.append(AuditEntry.of("test.b", "system", "p-1").withCafe("other"));
    log.append(AuditEntry.of("test.a", "system", "p-2"));
    log.append(AuditEntry.of("test.a", "system", "p-1").withCafe("demo"));

    assertThat(log.list(new AuditFilter("test.a", null, null), 10, 0)).extracting(AuditRecord::seq).containsExactly(1L, 3L, 4L);
    assertThat(log.list(new AuditFilter(null, "p-1", null), 10, 0)).extracting(AuditRecord::seq).containsExactly(1L, 2L, 4L);
    assertThat(log.list(new AuditFilter(null, null, "demo"), 10, 0)).as("its own and the server-wide ones")
        .extracting(AuditRecord::seq).containsExactly(1L, 3L, 4L);
    assertThat(log.list(new AuditFilter("test.a", "p-1", "demo"), 1, 1)).extracting(AuditRecord::seq).containsExactly(4L);
    assertThat(log.list(AuditFilter.ALL, 2, 1)).extracting(AuditRecord::seq).containsExactly(2L, 3L);
    assertThatThrownBy(() -> log.list(AuditFilter.ALL, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> log.list(AuditFilter.ALL, AuditLog.MAX_LIMIT + 1, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void entriesThatBreakTheContractAreRefusedAndWriteNothing() {
    assertThatThrownBy(() -> AuditEntry.of("Payment Completed", "system", null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AuditEntry.of("payment", "system", null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AuditEntry.of("test.a", " ", null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AuditEntry.of("test.a", "system", null).withReason("x".repeat(501)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> log.append(AuditEntry.of("test.a", "system", null).withDetails(Map.of("text", "x".repeat(8000)))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> log.append(AuditEntry.of("test.a", "system", null).withDetails(Map.of("self", new Object()))))
        .isInstanceOf(IllegalArgumentException.class);

    assertThat(h2.all()).isEmpty();
  }
}
