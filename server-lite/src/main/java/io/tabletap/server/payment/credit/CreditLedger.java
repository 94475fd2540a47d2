package io.tabletap.server.payment.credit;

import io.tabletap.server.domain.Cafe;
import io.tabletap.server.domain.FieldError;
import io.tabletap.server.domain.Money;
import io.tabletap.server.domain.NotFoundException;
import io.tabletap.server.domain.ValidationException;
import io.tabletap.server.menu.CafeStore;
import io.tabletap.server.order.IdempotencyConflictException;
import io.tabletap.server.payment.credit.CreditEntry.Kind;
import io.tabletap.server.payment.credit.CreditStore.Appended;
import io.tabletap.server.payment.credit.CreditStore.NewEntry;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Customer credit: accounts whose balance is the sum of an append-only ledger of top-ups, debits,
 * refunds and adjustments.
 *
 * <p>Contracts every write keeps:
 *
 * <ul>
 *   <li>No entry ever takes a balance below {@code -overdraftLimit}, however many writers race:
 *       the check and the write happen in one transaction under a row lock on the account (see
 *       {@link CreditStore#append}). A refused entry throws {@link InsufficientCreditException}.
 *   <li>A write with an idempotency key already used on the account returns the first entry
 *       ({@link Recorded#created()} false) and writes nothing; the same key for a different kind,
 *       amount or debit throws {@link IdempotencyConflictException}.
 *   <li>Refunds of a debit never add up to more than the debit.
 *   <li>Bad input throws {@link ValidationException} listing every problem, before anything is
 *       read or written. An account of another cafe is a {@link NotFoundException}, as is an
 *       unknown one.
 * </ul>
 *
 * <p>Amounts are {@code long} minor units in the account's currency (the cafe's, when the account
 * was made). Thread-safe.
 */
public final class CreditLedger {
  public static final long MAX_TOP_UP = 1_000_000;
  public static final long MAX_ADJUSTMENT = 1_000_000;
  public static final long MAX_OVERDRAFT_LIMIT = 1_000_000;
  /** For debits and refunds: far above any order, far below overflow. */
  public static final long MAX_DEBIT = 1_000_000_000;
  public static final int MAX_ENTRIES = 500;
  private static final int MAX_REFERENCE_LENGTH = 255;

  private final CreditStore store;
  private final CafeStore cafes;
  private final Clock clock;

  public CreditLedger(CreditStore store, CafeStore cafes, Clock clock) {
    this.store = store;
    this.cafes = cafes;
    this.clock = clock;
  }

  /** @param created false when this was a retry that returned the entry written the first time */
  public record Recorded(CreditEntry entry, boolean created) {}

  /**
   * Opens an account in the cafe's currency, with a zero balance.
   *
   * @throws ValidationException for a missing or too long name, a phone or email that does not
   *     look like one, or an overdraft limit outside 0 to {@link #MAX_OVERDRAFT_LIMIT}
   * @throws NotFoundException if there is no such cafe
   */
  public CreditAccount createAccount(String cafeId, NewAccount request) {
    String name = CreditRules.trimToNull(request.name());
    String phone = CreditRules.trimToNull(request.phone());
    String email = CreditRules.trimToNull(request.email());
    long limit = request.overdraftLimit() == null ? 0 : request.overdraftLimit();
    List<FieldError> errors = new ArrayList<>();
    CreditRules.name(name, errors);
    CreditRules.phone(phone, errors);
    CreditRules.email(email, errors);
    CreditRules.overdraftLimit(limit, MAX_OVERDRAFT_LIMIT, errors);
    failIfAny(errors);
    Cafe cafe = cafes.find(cafeId).orElseThrow(() -> new NotFoundException("No cafe '" + cafeId + "'"));
    CreditAccount account = new CreditAccount(UUID.randomUUID(), cafeId, name, phone, email,
        new Money(limit, cafe.currency()), Money.zero(cafe.currency()), now());
    store.insertAccount(account);
    return account;
  }

  /** @throws NotFoundException if the cafe has no such account */
  public CreditAccount account(String cafeId, UUID accountId) {
    return store.findAccount(accountId).filter(a -> a.cafeId().equals(cafeId))
        .orElseThrow(() -> new NotFoundException("No credit account " + accountId));
  }

  /** The sum of the account's ledger. @throws NotFoundException if the cafe has no such account */
  public Money balance(String cafeId, UUID accountId) {
    return account(cafeId, accountId).balance();
  }

  /**
   * The account's newest entries, newest first.
   *
   * @param limit clamped to 1 … {@link #MAX_ENTRIES}
   * @throws NotFoundException if the cafe has no such account
   */
  public List<CreditEntry> entries(String cafeId, UUID accountId, int limit) {
    account(cafeId, accountId);
    return store.entries(accountId, Math.max(1, Math.min(limit, MAX_ENTRIES)));
  }

  /**
   * Adds {@code amount} (1 to {@link #MAX_TOP_UP}) to the account.
   *
   * @throws ValidationException for a bad amount, reason or key
   * @throws NotFoundException if the cafe has no such account
   */
  public Recorded topUp(String cafeId, UUID accountId, long amount, Posting posting) {
    List<FieldError> errors = new ArrayList<>();
    CreditRules.positiveAmount(amount, MAX_TOP_UP, errors);
    String reason = checkPosting(posting, false, errors);
    failIfAny(errors);
    return append(cafeId, accountId, Kind.TOPUP, amount, posting, orDefault(reason, "top-up"), null, null, null);
  }

  /**
   * Takes {@code amount} (1 to {@link #MAX_DEBIT}) off the account, unless that would leave the balance below
   * {@code -overdraftLimit}.
   *
   * @param paymentId the payment this debit collects for, or null
   * @param reference free text for the statement (such as the order), or null; cut to 255 characters
   * @throws InsufficientCreditException if the account cannot cover it; nothing is written
   * @throws ValidationException for a bad amount, reason or key
   * @throws NotFoundException if the cafe has no such account
   */
  public Recorded debit(String cafeId, UUID accountId, long amount, Posting posting, UUID paymentId, String reference) {
    List<FieldError> errors = new ArrayList<>();
    CreditRules.positiveAmount(amount, MAX_DEBIT, errors);
    String reason = checkPosting(posting, false, errors);
    failIfAny(errors);
    String ref = CreditRules.trimToNull(reference);
    if (ref != null && ref.length() > MAX_REFERENCE_LENGTH) {
      ref = ref.substring(0, MAX_REFERENCE_LENGTH);
    }
    return append(cafeId, accountId, Kind.DEBIT, -amount, posting, orDefault(reason, "debit"), paymentId, ref, null);
  }

  /**
   * Gives back {@code amount} of a debit, or all that is left of it when {@code amount} is null.
   * All refunds of one debit together never exceed it, also when they race.
   *
   * @throws ValidationException if the entry is no debit, if nothing is left to refund or the
   *     amount is more than what is left ({@code refund_exceeds_debit}), or for a bad amount,
   *     reason or key
   * @throws NotFoundException if there is no such debit in the cafe
   */
  public Recorded refund(String cafeId, UUID debitId, Long amount, Posting posting) {
    List<FieldError> errors = new ArrayList<>();
    if (amount != null) {
      CreditRules.positiveAmount(amount, MAX_DEBIT, errors);
    }
    String reason = checkPosting(posting, false, errors);
    failIfAny(errors);
    CreditEntry debit = store.findEntry(debitId).orElseThrow(() -> new NotFoundException("No credit ledger entry " + debitId));
    account(cafeId, debit.accountId());
    if (debit.kind() != Kind.DEBIT) {
      throw ValidationException.of("debitId", "not_a_debit", "Only a debit can be refunded; this entry is a " + debit.kind());
    }
    Appended appended = store.append(debit.accountId(), posting.idempotencyKey(), debitId, locked -> {
      Money left = debit.amount().times(-1).minus(locked.refundedSoFar());
      Money give = amount == null ? left : new Money(amount, left.currency());
      if (left.isZero() || give.compareTo(left) > 0) {
        throw ValidationException.of("amount", "refund_exceeds_debit", left.isZero()
            ? "This debit is refunded in full already"
            : "At most " + left + " of this debit is left to refund");
      }
      return new NewEntry(UUID.randomUUID(), Kind.REFUND, give, posting.actor(), orDefault(reason, "refund"),
          debit.paymentId(), debit.reference(), now());
    }).orElseThrow(() -> new NotFoundException("No credit account " + debit.accountId()));
    if (!appended.created()) {
      CreditEntry first = appended.entry();
      if (first.kind() != Kind.REFUND || !debitId.equals(first.refundOf()) || amount != null && first.amount().minorUnits() != amount) {
        throw conflict();
      }
    }
    return new Recorded(appended.entry(), appended.created());
  }

  /**
   * Corrects the balance by {@code amount} (non-zero, at most {@link #MAX_ADJUSTMENT} either way).
   * A reason is required. An adjustment down obeys the overdraft limit like a debit: to go further,
   * the account needs a higher limit.
   *
   * @throws InsufficientCreditException if a negative amount would go below the limit
   * @throws ValidationException for a bad amount, a missing reason or a bad key
   * @throws NotFoundException if the cafe has no such account
   */
  public Recorded adjust(String cafeId, UUID accountId, long amount, Posting posting) {
    List<FieldError> errors = new ArrayList<>();
    CreditRules.signedAmount(amount, MAX_ADJUSTMENT, errors);
    String reason = checkPosting(posting, true, errors);
    failIfAny(errors);
    return append(cafeId, accountId, Kind.ADJUSTMENT, amount, posting, reason, null, null, null);
  }

  /** Any entry, of any cafe: for the gateway, which knows only the entry id. */
  Optional<CreditEntry> entry(UUID entryId) {
    return store.findEntry(entryId);
  }

  /** The cafe of any account: for the gateway. */
  Optional<String> cafeOf(UUID accountId) {
    return store.findAccount(accountId).map(CreditAccount::cafeId);
  }

  private Recorded append(String cafeId, UUID accountId, Kind kind, long signedAmount, Posting posting, String reason,
      UUID paymentId, String reference, UUID refundOf) {
    account(cafeId, accountId);
    Appended appended = store.append(accountId, posting.idempotencyKey(), refundOf, locked -> {
      Money amount = new Money(signedAmount, locked.account().currency());
      if (amount.isNegative() && !locked.account().canCover(amount.times(-1))) {
        throw new InsufficientCreditException(locked.account().balance(), locked.account().overdraftLimit(), amount.times(-1));
      }
      return new NewEntry(UUID.randomUUID(), kind, amount, posting.actor(), reason, paymentId, reference, now());
    }).orElseThrow(() -> new NotFoundException("No credit account " + accountId));
    CreditEntry entry = appended.entry();
    if (!appended.created() && (entry.kind() != kind || entry.amount().minorUnits() != signedAmount)) {
      throw conflict();
    }
    return new Recorded(entry, appended.created());
  }

  /** Checks reason and key into {@code errors}; returns the trimmed reason (or null). */
  private static String checkPosting(Posting posting, boolean reasonRequired, List<FieldError> errors) {
    Objects.requireNonNull(posting, "posting");
    String reason = CreditRules.trimToNull(posting.reason());
    CreditRules.reason(reason, reasonRequired, errors);
    CreditRules.idempotencyKey(posting.idempotencyKey(), errors);
    return reason;
  }

  private static String orDefault(String reason, String fallback) {
    return reason == null ? fallback : reason;
  }

  private static void failIfAny(List<FieldError> errors) {
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
  }

  private static IdempotencyConflictException conflict() {
    return new IdempotencyConflictException("This Idempotency-Key was already used for a different ledger entry", true);
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
