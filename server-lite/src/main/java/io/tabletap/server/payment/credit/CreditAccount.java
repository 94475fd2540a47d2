package io.tabletap.server.payment.credit;

import io.tabletap.server.domain.Money;
import java.time.Instant;
import java.util.Currency;
import java.util.Objects;
import java.util.UUID;

/**
 * A customer's credit account in one cafe, with its balance.
 *
 * <p>{@code balance} is the sum of the account's ledger entries; it is in the account's currency,
 * as is {@code overdraftLimit}, how far below zero debits may take it (0: not at all).
 *
 * @param phone loosely checked, or null
 * @param email loosely checked, or null
 */
public record CreditAccount(
    UUID id, String cafeId, String name, String phone, String email, Money overdraftLimit, Money balance, Instant createdAt) {

  public CreditAccount {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(cafeId, "cafeId");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(overdraftLimit, "overdraftLimit");
    Objects.requireNonNull(balance, "balance");
    if (overdraftLimit.isNegative()) {
      throw new IllegalArgumentException("An overdraft limit cannot be negative");
    }
    if (!overdraftLimit.currency().equals(balance.currency())) {
      throw new IllegalArgumentException("Balance and overdraft limit must be in one currency");
    }
  }

  public Currency currency() {
    return balance.currency();
  }

  /** What debits may still take: the balance plus the overdraft limit. */
  public Money available() {
    return balance.plus(overdraftLimit);
  }

  /** True if taking {@code amount} (positive) off would leave the balance at or above {@code -overdraftLimit}. */
  public boolean canCover(Money amount) {
    return available().compareTo(amount) >= 0;
  }
}
