package io.tabletap.server.store;

import io.tabletap.server.domain.Money;
import io.tabletap.server.payment.credit.CreditAccount;
import io.tabletap.server.payment.credit.CreditEntry;
import io.tabletap.server.payment.credit.CreditStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Credit accounts and their ledger on H2 (tables of V004). The account row caches the ledger's
 * sum ({@code balance}) and entry count ({@code version}); {@link #append} updates both with the
 * entry it inserts, in one transaction under the account's row lock. Ledger rows are only inserted.
 */
public final class JdbcCreditStore implements CreditStore {
  private static final String ACCOUNT_COLUMNS =
      "id, cafe_id, name, phone, email, overdraft_limit, currency, balance, version, created_at";

  private final Database db;

  public JdbcCreditStore(Database db) {
    this.db = db;
  }

  @Override
  public void insertAccount(CreditAccount account) {
    if (!account.balance().isZero()) {
      throw new IllegalArgumentException("A new account starts at zero; credit comes through the ledger");
    }
    db.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement("INSERT INTO credit_accounts (" + ACCOUNT_COLUMNS
          + ") VALUES (?,?,?,?,?,?,?,0,0,?)")) {
        s.setObject(1, account.id());
        s.setString(2, account.cafeId());
        s.setString(3, account.name());
        s.setString(4, account.phone());
        s.setString(5, account.email());
        s.setLong(6, account.overdraftLimit().minorUnits());
        s.setString(7, account.currency().getCurrencyCode());
        Sql.setInstant(s, 8, account.createdAt());
        return s.executeUpdate();
      }
    });
  }

  @Override
  public Optional<CreditAccount> findAccount(UUID accountId) {
    return db.read(c -> loadAccount(c, accountId, false).map(LockedRow::account));
  }

  @Override
  public Optional<CreditEntry> findEntry(UUID entryId) {
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT l.*, a.currency FROM credit_ledger l"
          + " JOIN credit_accounts a ON a.id = l.account_id WHERE l.id = ?")) {
        s.setObject(1, entryId);
        try (ResultSet rs = s.executeQuery()) {
          return rs.next() ? Optional.of(entry(rs)) : Optional.empty();
        }
      }
    });
  }

  @Override
  public List<CreditEntry> entries(UUID accountId, int limit) {
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT l.*, a.currency FROM credit_ledger l"
          + " JOIN credit_accounts a ON a.id = l.account_id WHERE l.account_id = ? ORDER BY l.seq DESC LIMIT ?")) {
        s.setObject(1, accountId);
        s.setInt(2, limit);
        try (ResultSet rs = s.executeQuery()) {
          List<CreditEntry> entries = new ArrayList<>();
          while (rs.next()) {
            entries.add(entry(rs));
          }
          return entries;
        }
      }
    });
  }

  /**
   * Tries of an append that found its account changed under its lock. H2's {@code SELECT … FOR
   * UPDATE} can, rarely, return the row as it was before the lock it waited for: then the next
   * entry number is taken twice, and the ledger's unique (account_id, seq) refuses the second
   * (seen once in {@code CreditLedgerRaceTest}, in session 7). Nothing was written, so it is tried
   * again, reading the row anew.
   */
  private static final int TRIES = 5;

  @Override
  public Optional<Appended> append(UUID accountId, String idempotencyKey, UUID refundOf, Function<Locked, NewEntry> decide) {
    for (int attempt = 1; ; attempt++) {
      try {
        return appendOnce(accountId, idempotencyKey, refundOf, decide);
      } catch (RuntimeException e) {
        if (attempt == TRIES || !(e instanceof AccountChanged || takenTwice(e))) {
          throw e;
        }
      }
    }
  }

  /** The append's account changed between its locked read and its write. */
  private static final class AccountChanged extends IllegalStateException {
    AccountChanged(UUID accountId) {
      super("Credit account " + accountId + " changed while locked");
    }
  }

  private static boolean takenTwice(RuntimeException e) {
    return e instanceof StoreException && e.getCause() instanceof SQLException sql && "23505".equals(sql.getSQLState())
        && sql.getMessage().toUpperCase(java.util.Locale.ROOT).contains("UQ_CREDIT_LEDGER_SEQ");
  }

  private Optional<Appended> appendOnce(UUID accountId, String idempotencyKey, UUID refundOf,
      Function<Locked, NewEntry> decide) {
    return db.inTransaction(c -> {
      Optional<LockedRow> row = loadAccount(c, accountId, true);
      if (row.isEmpty()) {
        return Optional.empty();
      }
      CreditAccount account = row.get().account();
      if (idempotencyKey != null) {
        Optional<CreditEntry> earlier = entryByKey(c, accountId, idempotencyKey);
        if (earlier.isPresent()) {
          return Optional.of(new Appended(earlier.get(), false));
        }
      }
      Money refunded = refundOf == null ? Money.zero(account.currency()) : refundedSoFar(c, refundOf, account.currency());
      NewEntry draft = decide.apply(new Locked(account, refunded));
      long seq = row.get().version() + 1;
      CreditEntry entry = new CreditEntry(draft.id(), accountId, seq, draft.kind(), draft.amount(),
          account.balance().plus(draft.amount()), draft.actor(), draft.reason(), draft.paymentId(), draft.reference(),
          refundOf, idempotencyKey, draft.createdAt());
      insertEntry(c, entry);
      try (PreparedStatement s = c.prepareStatement("UPDATE credit_accounts SET balance = ?, version = ? WHERE id = ? AND version = ?")) {
        s.setLong(1, entry.balanceAfter().minorUnits());
        s.setLong(2, seq);
        s.setObject(3, accountId);
        s.setLong(4, row.get().version());
        if (s.executeUpdate() != 1) {
          throw new AccountChanged(accountId);
        }
      }
      return Optional.of(new Appended(entry, true));
    });
  }

  /** An account row with the entry count it had when read. */
  private record LockedRow(CreditAccount account, long version) {}

  private static Optional<LockedRow> loadAccount(Connection c, UUID id, boolean lock) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT " + ACCOUNT_COLUMNS + " FROM credit_accounts WHERE id = ?"
        + (lock ? " FOR UPDATE" : ""))) {
      s.setObject(1, id);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        Currency currency = Currency.getInstance(rs.getString("currency"));
        return Optional.of(new LockedRow(new CreditAccount(rs.getObject("id", UUID.class), rs.getString("cafe_id"),
            rs.getString("name"), rs.getString("phone"), rs.getString("email"),
            new Money(rs.getLong("overdraft_limit"), currency), new Money(rs.getLong("balance"), currency),
            Sql.getInstant(rs, "created_at")), rs.getLong("version")));
      }
    }
  }

  private static Optional<CreditEntry> entryByKey(Connection c, UUID accountId, String key) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT l.*, a.currency FROM credit_ledger l"
        + " JOIN credit_accounts a ON a.id = l.account_id WHERE l.account_id = ? AND l.idem_key = ?")) {
      s.setObject(1, accountId);
      s.setString(2, key);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(entry(rs)) : Optional.empty();
      }
    }
  }

  private static Money refundedSoFar(Connection c, UUID debitId, Currency currency) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "SELECT COALESCE(SUM(amount), 0) FROM credit_ledger WHERE refund_of = ? AND kind = 'REFUND'")) {
      s.setObject(1, debitId);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return new Money(rs.getLong(1), currency);
      }
    }
  }

  private static void insertEntry(Connection c, CreditEntry e) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("INSERT INTO credit_ledger (id, account_id, seq, kind, amount,"
        + " balance_after, actor, reason, payment_id, reference, refund_of, idem_key, created_at)"
        + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
      s.setObject(1, e.id());
      s.setObject(2, e.accountId());
      s.setLong(3, e.seq());
      s.setString(4, e.kind().name());
      s.setLong(5, e.amount().minorUnits());
      s.setLong(6, e.balanceAfter().minorUnits());
      s.setString(7, e.actor());
      s.setString(8, e.reason());
      s.setObject(9, e.paymentId());
      s.setString(10, e.reference());
      s.setObject(11, e.refundOf());
      s.setString(12, e.idempotencyKey());
      Sql.setInstant(s, 13, e.createdAt());
      s.executeUpdate();
    }
  }

  private static CreditEntry entry(ResultSet rs) throws SQLException {
    Currency currency = Currency.getInstance(rs.getString("currency"));
    return new CreditEntry(rs.getObject("id", UUID.class), rs.getObject("account_id", UUID.class), rs.getLong("seq"),
        CreditEntry.Kind.valueOf(rs.getString("kind")), new Money(rs.getLong("amount"), currency),
        new Money(rs.getLong("balance_after"), currency), rs.getString("actor"), rs.getString("reason"),
        rs.getObject("payment_id", UUID.class), rs.getString("reference"), rs.getObject("refund_of", UUID.class),
        rs.getString("idem_key"), Sql.getInstant(rs, "created_at"));
  }
}
