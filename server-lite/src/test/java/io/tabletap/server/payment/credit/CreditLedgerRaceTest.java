package io.tabletap.server.payment.credit;

import static io.tabletap.server.payment.credit.CreditOnH2.CAFE;
import static org.assertj.core.api.Assertions.assertThat;

import io.tabletap.server.domain.ValidationException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Eight threads, released together, writing to one account. Whatever order the database lets them
 * in, the ledger's rules must hold afterwards.
 */
class CreditLedgerRaceTest {
  private static final int THREADS = 8;
  private static final int ATTEMPTS_PER_THREAD = 5;

  @TempDir Path dir;
  CreditOnH2 h2;
  CreditLedger ledger;
  ExecutorService pool;

  @BeforeEach
  void open() {
    h2 = new CreditOnH2(dir);
    ledger = h2.ledger;
    pool = Executors.newFixedThreadPool(THREADS);
  }

  @AfterEach
  void close() {
    pool.shutdownNow();
    h2.close();
  }

  @Test
  void racingDebitsNeverTakeTheBalanceBelowZero() throws Exception {
    CreditAccount account = h2.accountWith(1000, 0);

    Outcome outcome = raceDebits(account.id(), 150);

    assertThat(outcome.succeeded.get()).as("1000 covers six debits of 150").isEqualTo(6);
    assertThat(outcome.refused.get()).isEqualTo(THREADS * ATTEMPTS_PER_THREAD - 6);
    assertThat(ledger.balance(CAFE, account.id()).minorUnits()).isEqualTo(100);
    assertLedgerConsistent(account.id(), 0);
  }

  @Test
  void racingDebitsNeverGoBelowTheOverdraftLimit() throws Exception {
    CreditAccount account = h2.accountWith(1000, 500);

    Outcome outcome = raceDebits(account.id(), 150);

    assertThat(outcome.succeeded.get()).as("1000 plus an overdraft of 500 covers ten debits of 150").isEqualTo(10);
    assertThat(ledger.balance(CAFE, account.id()).minorUnits()).isEqualTo(-500);
    assertLedgerConsistent(account.id(), 500);
  }

  @Test
  void racingDebitsAndTopUpsKeepTheBalanceEqualToTheSumOfTheLedger() throws Exception {
    CreditAccount account = h2.accountWith(300, 100);
    AtomicInteger topUps = new AtomicInteger();
    AtomicInteger debits = new AtomicInteger();

    race(thread -> {
      for (int i = 0; i < ATTEMPTS_PER_THREAD; i++) {
        if (thread % 2 == 0) {
          ledger.topUp(CAFE, account.id(), 70, new Posting("till-" + thread, null, null));
          topUps.incrementAndGet();
        } else {
          try {
            ledger.debit(CAFE, account.id(), 130, new Posting("till-" + thread, null, null), null, null);
            debits.incrementAndGet();
          } catch (InsufficientCreditException expected) {
            // the race decides which ones
          }
        }
      }
    });

    long expected = 300 + 70L * topUps.get() - 130L * debits.get();
    assertThat(ledger.balance(CAFE, account.id()).minorUnits()).isEqualTo(expected);
    assertLedgerConsistent(account.id(), 100);
  }

  @Test
  void racingTopUpsWithOneIdempotencyKeyWriteOneEntry() throws Exception {
    CreditAccount account = h2.account("Alex", 0);
    AtomicInteger created = new AtomicInteger();
    Set<UUID> entryIds = ConcurrentHashMap.newKeySet();

    race(thread -> {
      CreditLedger.Recorded recorded = ledger.topUp(CAFE, account.id(), 500, new Posting("till-" + thread, null, "same-key"));
      entryIds.add(recorded.entry().id());
      if (recorded.created()) {
        created.incrementAndGet();
      }
    });

    assertThat(created.get()).isEqualTo(1);
    assertThat(entryIds).hasSize(1);
    assertThat(ledger.balance(CAFE, account.id()).minorUnits()).isEqualTo(500);
    assertLedgerConsistent(account.id(), 0);
  }

  @Test
  void racingRefundsOfOneDebitNeverGiveBackMoreThanIt() throws Exception {
    CreditAccount account = h2.accountWith(2000, 0);
    CreditEntry debit = ledger.debit(CAFE, account.id(), 1000, new Posting("till-1", "order 1", null), null, null).entry();
    AtomicInteger succeeded = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();

    race(thread -> {
      try {
        ledger.refund(CAFE, debit.id(), 300L, new Posting("till-" + thread, null, "refund-" + thread));
        succeeded.incrementAndGet();
      } catch (ValidationException e) {
        assertThat(e.errors().get(0).code()).isEqualTo("refund_exceeds_debit");
        refused.incrementAndGet();
      }
    });

    assertThat(succeeded.get()).as("three refunds of 300 fit in a debit of 1000").isEqualTo(3);
    assertThat(refused.get()).isEqualTo(THREADS - 3);
    long refunded = h2.allEntries(account.id()).stream().filter(e -> debit.id().equals(e.refundOf()))
        .mapToLong(e -> e.amount().minorUnits()).sum();
    assertThat(refunded).isEqualTo(900);
    assertThat(ledger.balance(CAFE, account.id()).minorUnits()).isEqualTo(1900);
    assertLedgerConsistent(account.id(), 0);
  }

  @Test
  void racingFullRefundsOfOneDebitRefundItOnce() throws Exception {
    CreditAccount account = h2.accountWith(1000, 0);
    CreditEntry debit = ledger.debit(CAFE, account.id(), 800, new Posting("till-1", null, null), null, null).entry();
    AtomicInteger succeeded = new AtomicInteger();

    race(thread -> {
      try {
        ledger.refund(CAFE, debit.id(), null, new Posting("till-" + thread, null, "full-" + thread));
        succeeded.incrementAndGet();
      } catch (ValidationException expected) {
        // all of it is back already
      }
    });

    assertThat(succeeded.get()).isEqualTo(1);
    assertThat(ledger.balance(CAFE, account.id()).minorUnits()).isEqualTo(1000);
    assertLedgerConsistent(account.id(), 0);
  }

  private record Outcome(AtomicInteger succeeded, AtomicInteger refused) {}

  private Outcome raceDebits(UUID accountId, long amount) throws Exception {
    Outcome outcome = new Outcome(new AtomicInteger(), new AtomicInteger());
    race(thread -> {
      for (int i = 0; i < ATTEMPTS_PER_THREAD; i++) {
        try {
          ledger.debit(CAFE, accountId, amount, new Posting("till-" + thread, "order", "debit-" + thread + "-" + i), null, null);
          outcome.succeeded.incrementAndGet();
        } catch (InsufficientCreditException e) {
          assertThat(e.available().minorUnits()).isLessThan(amount);
          outcome.refused.incrementAndGet();
        }
      }
    });
    return outcome;
  }

  /**
   * The balance is the sum of the ledger; every entry's balance follows from the one before; the
   * sequence has no gaps; no entry ever left the balance below {@code -limit}.
   */
  private void assertLedgerConsistent(UUID accountId, long limit) {
    List<CreditEntry> oldestFirst = new ArrayList<>(h2.allEntries(accountId));
    Collections.reverse(oldestFirst);
    long running = 0;
    for (int i = 0; i < oldestFirst.size(); i++) {
      CreditEntry e = oldestFirst.get(i);
      running += e.amount().minorUnits();
      assertThat(e.seq()).isEqualTo(i + 1L);
      assertThat(e.balanceAfter().minorUnits()).as("balance after entry %d", e.seq()).isEqualTo(running);
      assertThat(running).as("balance after entry %d", e.seq()).isGreaterThanOrEqualTo(-limit);
    }
    assertThat(ledger.balance(CAFE, accountId).minorUnits()).isEqualTo(running).isEqualTo(h2.ledgerSum(accountId));
  }

  private interface ThreadWork {
    void run(int thread) throws Exception;
  }

  /** Runs {@code work} on {@link #THREADS} threads released at once; rethrows the first failure. */
  private void race(ThreadWork work) throws Exception {
    CountDownLatch ready = new CountDownLatch(THREADS);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Void>> futures = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      Callable<Void> task = () -> {
        ready.countDown();
        go.await();
        work.run(thread);
        return null;
      };
      futures.add(pool.submit(task));
    }
    assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
    go.countDown();
    for (Future<Void> future : futures) {
      future.get(60, TimeUnit.SECONDS);
    }
  }
}
