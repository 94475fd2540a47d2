package io.tabletap.server.payment.credit;

import io.tabletap.server.domain.Cafe;
import io.tabletap.server.domain.Money;
import io.tabletap.server.menu.DemoCafe;
import io.tabletap.server.store.Database;
import io.tabletap.server.store.JdbcCafeStore;
import io.tabletap.server.store.JdbcCreditStore;
import io.tabletap.server.testing.MutableClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.UUID;

/**
 * A {@link CreditLedger} on a real, migrated H2 file in a test's directory, with two cafes: the
 * demo cafe (AUD) and "other" (EUR), and a clock the test moves.
 */
final class CreditOnH2 implements AutoCloseable {
  static final String CAFE = DemoCafe.ID;
  static final String OTHER_CAFE = "other";
  static final Instant START = Instant.parse("2026-11-25T23:00:00Z");

  final Database db;
  final JdbcCreditStore store;
  final MutableClock clock = new MutableClock(START);
  final CreditLedger ledger;

  CreditOnH2(Path dir) {
    db = Database.open(dir, 16);
    JdbcCafeStore cafes = new JdbcCafeStore(db);
    cafes.insert(DemoCafe.cafe());
    Cafe demo = DemoCafe.cafe();
    cafes.insert(new Cafe(OTHER_CAFE, "Other Cafe", Currency.getInstance("EUR"), demo.taxPolicy(), demo.zone(),
        demo.businessDayStart()));
    store = new JdbcCreditStore(db);
    ledger = new CreditLedger(store, cafes, clock);
  }

  CreditAccount account(String name, long overdraftLimit) {
    return ledger.createAccount(CAFE, new NewAccount(name, null, null, overdraftLimit));
  }

  /** An account of the demo cafe holding {@code balance} from one top-up. */
  CreditAccount accountWith(long balance, long overdraftLimit) {
    CreditAccount account = account("Alex", overdraftLimit);
    if (balance > 0) {
      ledger.topUp(CAFE, account.id(), balance, new Posting("till-1", "cash", null));
    }
    return ledger.account(CAFE, account.id());
  }

  List<CreditEntry> allEntries(UUID accountId) {
    return ledger.entries(CAFE, accountId, CreditLedger.MAX_ENTRIES);
  }

  /** The sum of the account's ledger, added up here rather than by the code under test. */
  long ledgerSum(UUID accountId) {
    return allEntries(accountId).stream().map(CreditEntry::amount).mapToLong(Money::minorUnits).sum();
  }

  static Posting by(String actor) {
    return new Posting(actor, null, null);
  }

  static Posting keyed(String key) {
    return new Posting("till-1", null, key);
  }

  @Override
  public void close() {
    db.close();
  }
}
