package io.tabletap.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tabletap.server.domain.Money;
import io.tabletap.server.menu.DemoCafe;
import io.tabletap.server.payment.credit.CreditAccount;
import io.tabletap.server.payment.credit.CreditEntry.Kind;
import io.tabletap.server.payment.credit.CreditStore.NewEntry;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store's own guarantees, below the ledger's rules: what holds even if a rule were forgotten. */
class JdbcCreditStoreTest {
  private static final Instant NOW = Instant.parse("2026-11-26T00:00:00Z");

  @TempDir Path dir;
  Database db;
  JdbcCreditStore store;
  CreditAccount account;

  @BeforeEach
  void open() {
    db = Database.open(dir, 4);
    new JdbcCafeStore(db).insert(DemoCafe.cafe());
    store = new JdbcCreditStore(db);
    account = new CreditAccount(UUID.randomUUID(), DemoCafe.ID, "Alex", null, null, aud(100), aud(0), NOW);
    store.insertAccount(account);
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void theDatabaseRefusesAnEntryBelowTheOverdraftLimitEvenWhenNoRuleStopsIt() {
    assertThatThrownBy(() -> store.append(account.id(), null, null, locked -> entry(Kind.DEBIT, -101)))
        .isInstanceOf(StoreException.class).hasMessageContaining("CK_CREDIT_ACCOUNTS_BALANCE");

    assertThat(store.entries(account.id(), 10)).isEmpty();
    assertThat(store.findAccount(account.id()).orElseThrow().balance()).isEqualTo(aud(0));
  }

  @Test
  void anExceptionFromTheRulesRollsBackAndWritesNothing() {
    assertThatThrownBy(() -> store.append(account.id(), "k", null, locked -> {
      throw new IllegalStateException("refused");
    })).isInstanceOf(IllegalStateException.class);

    assertThat(store.entries(account.id(), 10)).isEmpty();
  }

  @Test
  void appendNumbersEntriesAndCarriesTheBalanceForward() {
    store.append(account.id(), null, null, locked -> entry(Kind.TOPUP, 500));
    var second = store.append(account.id(), null, null, locked -> {
      assertThat(locked.account().balance()).isEqualTo(aud(500));
      return entry(Kind.DEBIT, -120);
    }).orElseThrow().entry();

    assertThat(second.seq()).isEqualTo(2);
    assertThat(second.balanceAfter()).isEqualTo(aud(380));
    assertThat(store.findAccount(account.id()).orElseThrow().balance()).isEqualTo(aud(380));
  }

  @Test
  void anAppendToAnUnknownAccountIsEmpty() {
    assertThat(store.append(UUID.randomUUID(), null, null, locked -> entry(Kind.TOPUP, 1))).isEmpty();
  }

  @Test
  void aNewAccountMustStartAtZero() {
    CreditAccount rich = new CreditAccount(UUID.randomUUID(), DemoCafe.ID, "Rich", null, null, aud(0), aud(100), NOW);

    assertThatThrownBy(() -> store.insertAccount(rich)).isInstanceOf(IllegalArgumentException.class);
  }

  private static NewEntry entry(Kind kind, long amount) {
    return new NewEntry(UUID.randomUUID(), kind, aud(amount), "test", "test", null, null, NOW);
  }

  private static Money aud(long minor) {
    return Money.of(minor, "AUD");
  }
}
