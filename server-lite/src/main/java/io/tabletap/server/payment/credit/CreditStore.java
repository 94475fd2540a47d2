package io.tabletap.server.payment.credit;

import io.tabletap.server.domain.Money;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Persistence of credit accounts and their ledger (the port; {@code store.JdbcCreditStore} is the
 * adapter). Every method is one transaction. Ledger entries are only ever appended.
 */
public interface CreditStore {

  /** Inserts a new account; its balance must be zero, since it has no entries yet. */
  void insertAccount(CreditAccount account);

  /** The account with its balance as of the last committed entry, in any cafe. */
  Optional<CreditAccount> findAccount(UUID accountId);

  /** One entry, of any account. */
  Optional<CreditEntry> findEntry(UUID entryId);

  /** The account's newest {@code limit} entries, newest first. */
  List<CreditEntry> entries(UUID accountId, int limit);

  /**
   * What the ledger's rules see while the account is locked.
   *
   * @param refundedSoFar when appending a refund: what earlier refunds of that debit gave back
   *     (zero when there are none, or when this is no refund)
   */
  record Locked(CreditAccount account, Money refundedSoFar) {}

  /**
   * An entry the rules decided on; the store numbers it, works out the balance after it and adds
   * the idempotency key and the debit it refunds.
   */
  record NewEntry(
      UUID id, CreditEntry.Kind kind, Money amount, String actor, String reason, UUID paymentId, String reference,
      Instant createdAt) {}

  /** @param created false when an entry with the idempotency key existed and was returned as it is */
  record Appended(CreditEntry entry, boolean created) {}

  /**
   * Appends one entry under a row lock on the account ({@code SELECT … FOR UPDATE}), so that
   * appends to one account happen one after another, each seeing the balance the previous one left.
   *
   * <p>In one transaction: locks the account; if it already has an entry with {@code
   * idempotencyKey}, returns that entry and writes nothing (without calling {@code decide});
   * otherwise calls {@code decide} with the locked account, inserts the entry it returns with the
   * next sequence number and {@code balanceAfter = balance + amount}, and stores that balance on the
   * account. An exception thrown by {@code decide} rolls everything back and propagates.
   *
   * @param idempotencyKey null for none
   * @param refundOf the debit a refund gives back, or null
   * @return empty if there is no such account
   */
  Optional<Appended> append(UUID accountId, String idempotencyKey, UUID refundOf, Function<Locked, NewEntry> decide);
}
