package io.tabletap.server.payment.credit;

import io.tabletap.server.domain.Money;

/**
 * A debit (or a downward adjustment) that would take an account below {@code -overdraftLimit}.
 * Nothing was written. The HTTP API answers {@code 422 insufficient_credit} with these amounts.
 */
public final class InsufficientCreditException extends RuntimeException {
  private final Money balance;
  private final Money overdraftLimit;
  private final Money requested;

  public InsufficientCreditException(Money balance, Money overdraftLimit, Money requested) {
    super("Insufficient credit: balance " + balance + ", overdraft limit " + overdraftLimit + ", needs " + requested);
    this.balance = balance;
    this.overdraftLimit = overdraftLimit;
    this.requested = requested;
  }

  public Money balance() {
    return balance;
  }

  public Money overdraftLimit() {
    return overdraftLimit;
  }

  /** The amount the refused entry would have taken off (positive). */
  public Money requested() {
    return requested;
  }

  /** What could have been taken: balance plus overdraft limit. */
  public Money available() {
    return balance.plus(overdraftLimit);
  }
}
