package io.tabletap.server.payment.credit;

import static io.tabletap.server.payment.credit.CreditOnH2.CAFE;
import static io.tabletap.server.payment.credit.CreditOnH2.OTHER_CAFE;
import static io.tabletap.server.payment.credit.CreditOnH2.by;
import static io.tabletap.server.payment.credit.CreditOnH2.keyed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.tabletap.server.domain.FieldError;
import io.tabletap.server.domain.Money;
import io.tabletap.server.domain.NotFoundException;
import io.tabletap.server.domain.ValidationException;
import io.tabletap.server.order.IdempotencyConflictException;
import io.tabletap.server.payment.credit.CreditEntry.Kind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CreditLedgerTest {
  @TempDir Path dir;
  CreditOnH2 h2;
  CreditLedger ledger;

  @BeforeEach
  void open() {
    h2 = new CreditOnH2(dir);
    ledger = h2.ledger;
  }

  @AfterEach
  void close() {
    h2.close();
  }

  @Test
  void aNewAccountIsInTheCafesCurrencyWithAZeroBalanceAndNoEntries() {
    CreditAccount account = ledger.createAccount(CAFE, new NewAccount("  Alex Chen ", " +61 400 123 456 ", "alex@example.com", null));

    CreditAccount read = ledger.account(CAFE, account.id());
    assertThat(read).isEqualTo(account);
    assertThat(read.name()).isEqualTo("Alex Chen");
    assertThat(read.phone()).isEqualTo("+61 400 123 456");
    assertThat(read.balance()).isEqualTo(Money.of(0, "AUD"));
    assertThat(read.overdraftLimit()).isEqualTo(Money.of(0, "AUD"));
    assertThat(read.createdAt()).isEqualTo(CreditOnH2.START);
    assertThat(h2.allEntries(account.id())).isEmpty();
  }

  @Test
  void blankPhoneAndEmailCountAsAbsent() {
    CreditAccount account = ledger.createAccount(CAFE, new NewAccount("Sam", " ", "", 0L));

    assertThat(account.phone()).isNull();
    assertThat(account.email()).isNull();
  }

  @Test
  void anAccountRequestWithSeveralProblemsIsRefusedWithEachOfThem() {
    assertThatThrownBy(() -> ledger.createAccount(CAFE, new NewAccount(" ", "call me", "not-an-email", -1L)))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors()).extracting(FieldError::field, FieldError::code)
            .containsExactly(
                tuple("name", "name_required"),
                tuple("phone", "bad_phone"),
                tuple("email", "bad_email"),
                tuple("overdraftLimit", "bad_overdraft_limit")));
  }

  @Test
  void namesLongerThanEightyCharactersAreRefusedAndEightyAreFine() {
    assertThat(ledger.createAccount(CAFE, new NewAccount("n".repeat(80), null, null, null)).name()).hasSize(80);
    assertThatThrownBy(() -> ledger.createAccount(CAFE, new NewAccount("n".repeat(81), null, null, null)))
        .isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.errors()).extracting(FieldError::code).containsExactly("name_too_long"));
  }

  @Test
  void anOverdraftLimitAboveTheMaximumIsRefused() {
    assertThatThrownBy(() -> ledger.createAccount(CAFE, new NewAccount("Big", null, null, CreditLedger.MAX_OVERDRAFT_LIMIT + 1)))
        .isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.errors()).extracting(FieldError::code).containsExactly("overdraft_limit_too_large"));
  }

  @Test
  void topUpsAndDebitsMoveTheBalanceAndEachEntryRecordsActorReasonTimeAndBalanceAfter() {
    CreditAccount account = h2.account("Alex", 0);

    ledger.topUp(CAFE, account.id(), 2000, new Posting("till-1", "cash top-up", null));
    h2.clock.advance(Duration.ofMinutes(5));
    CreditEntry debit = ledger.debit(CAFE, account.id(), 450, new Posting("till-2", "order 7", null), null, "Demo Cafe order 7").entry();

    assertThat(ledger.balance(CAFE, account.id())).isEqualTo(Money.of(1550, "AUD"));
    List<CreditEntry> entries = h2.allEntries(account.id());
    assertThat(entries).extracting(CreditEntry::seq, CreditEntry::kind, e -> e.amount().minorUnits(), e -> e.balanceAfter().minorUnits(),
        CreditEntry::actor, CreditEntry::reason)
        .containsExactly(
            tuple(2L, Kind.DEBIT, -450L, 1550L, "till-2", "order 7"),
            tuple(1L, Kind.TOPUP, 2000L, 2000L, "till-1", "cash top-up"));
    assertThat(debit.createdAt()).isEqualTo(CreditOnH2.START.plus(Duration.ofMinutes(5)));
    assertThat(debit.reference()).isEqualTo("Demo Cafe order 7");
    assertThat(h2.store.findEntry(debit.id())).contains(debit);
  }

  @Test
  void aDebitMayTakeTheBalanceToExactlyZeroButNotOneCentBelow() {
    CreditAccount account = h2.accountWith(500, 0);

    assertThatThrownBy(() -> ledger.debit(CAFE, account.id(), 501, by("till-1"), null, null))
        .isInstanceOfSatisfying(InsufficientCreditException.class, e -> {
          assertThat(e.balance()).isEqualTo(Money.of(500, "AUD"));
          assertThat(e.overdraftLimit()).isEqualTo(Money.of(0, "AUD"));
          assertThat(e.requested()).isEqualTo(Money.of(501, "AUD"));
        });
    ledger.debit(CAFE, account.id(), 500, by("till-1"), null, null);

    assertThat(ledger.balance(CAFE, account.id()).minorUnits()).isZero();
    assertThat(h2.allEntries(account.id())).hasSize(2);
  }

  @Test
  void anOverdraftLimitLetsDebitsGoThatFarBelowZeroAndNoFurther() {
    CreditAccount account = h2.accountWith(300, 200);

    ledger.debit(CAFE, account.id(), 450, by("till-1"), null, null);
    assertThatThrownBy(() -> ledger.debit(CAFE, account.id(), 51, by("till-1"), null, null))
        .isInstanceOfSatisfying(InsufficientCreditException.class, e -> assertThat(e.available()).isEqualTo(Money.of(50, "AUD")));
    ledger.debit(CAFE, account.id(), 50, by("till-1"), null, null);

    assertThat(ledger.balance(CAFE, account.id())).isEqualTo(Money.of(-200, "AUD"));
    assertThat(ledger.account(CAFE, account.id()).available().isZero()).isTrue();
  }

  @Test
  void aRefusedDebitWritesNothing() {
    CreditAccount account = h2.accountWith(100, 0);

    assertThatThrownBy(() -> ledger.debit(CAFE, account.id(), 101, keyed("pay-1"), null, null))
        .isInstanceOf(InsufficientCreditException.class);

    assertThat(h2.allEntries(account.id())).hasSize(1);
    assertThat(ledger.balance(CAFE, account.id()).minorUnits()).isEqualTo(100);
    ledger.topUp(CAFE, account.id(), 1, keyed("top-1"));
    assertThat(ledger.debit(CAFE, account.id(), 101, keyed("pay-1"), null, null).created())
        .as("the key of a refused debit is free for the retry").isTrue();
  }

  @Test
  void topUpAmountsMustBePositiveAndAtMostTheMaximum() {
    CreditAccount account = h2.account("Alex", 0);

    for (long bad : new long[] {0, -5, CreditLedger.MAX_TOP_UP + 1}) {
      assertThatThrownBy(() -> ledger.topUp(CAFE, account.id(), bad, by("till-1")))
          .as("amount %d", bad).isInstanceOf(ValidationException.class);
    }
    ledger.topUp(CAFE, account.id(), CreditLedger.MAX_TOP_UP, by("till-1"));
    assertThat(h2.allEntries(account.id())).hasSize(1);
  }

  @Test
  void aTopUpWithAnIdempotencyKeyAlreadyUsedReturnsTheFirstEntryAndWritesNothing() {
    CreditAccount account = h2.account("Alex", 0);

    CreditLedger.Recorded first = ledger.topUp(CAFE, account.id(), 1000, keyed("topup-abc"));
    CreditLedger.Recorded again = ledger.topUp(CAFE, account.id(), 1000, keyed("topup-abc"));

    assertThat(first.created()).isTrue();
    assertThat(again.created()).isFalse();
    assertThat(again.entry()).isEqualTo(first.entry());
    assertThat(ledger.balance(CAFE, account.id()).minorUnits()).isEqualTo(1000);
    assertThat(h2.allEntries(account.id())).hasSize(1);
  }

  @Test
  void aDebitReplayedByKeyIsReturnedEvenWhenTheBalanceCouldNoLongerCoverIt() {
    CreditAccount account = h2.accountWith(500, 0);
    CreditEntry first = ledger.debit(CAFE, account.id(), 400, keyed("pay-1"), null, null).entry();

    CreditLedger.Recorded again = ledger.debit(CAFE, account.id(), 400, keyed("pay-1"), null, null);

    assertThat(again.created()).isFalse();
    assertThat(again.entry().id()).isEqualTo(first.id());
    assertThat(ledger.balance(CAFE, account.id()).minorUnits()).isEqualTo(100);
  }

  @Test
  void aKeyReusedForADifferentAmountOrKindIsAConflictAndWritesNothing() {
    CreditAccount account = h2.accountWith(5000, 0);
    ledger.topUp(CAFE, account.id(), 1000, keyed("k1"));

    assertThatThrownBy(() -> ledger.topUp(CAFE, account.id(), 999, keyed("k1"))).isInstanceOf(IdempotencyConflictException.class);
    assertThatThrownBy(() -> ledger.debit(CAFE, account.id(), 1000, keyed("k1"), null, null))
        .isInstanceOf(IdempotencyConflictException.class);
    assertThat(h2.allEntries(account.id())).hasSize(2);
    assertThat(ledger.balance(CAFE, account.id()).minorUnits()).isEqualTo(6000);
  }

  @Test
  void theSameKeyOnAnotherAccountIsAnotherEntry() {
    CreditAccount a = h2.account("A", 0);
    CreditAccount b = h2.account("B", 0);

    assertThat(ledger.topUp(CAFE, a.id(), 100, keyed("same")).created()).isTrue();
    assertThat(ledger.topUp(CAFE, b.id(), 100, keyed("same")).created()).isTrue();
  }

  @Test
  void aBadIdempotencyKeyIsRefused() {
    CreditAccount account = h2.account("Alex", 0);

    assertThatThrownBy(() -> ledger.topUp(CAFE, account.id(), 100, keyed("has space")))
        .isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.errors()).extracting(FieldError::code).containsExactly("bad_idempotency_key"));
    assertThat(h2.allEntries(account.id())).isEmpty();
  }

  @Test
  void anAdjustmentNeedsAReasonAndMovesTheBalanceEitherWay() {
    CreditAccount account = h2.accountWith(1000, 0);

    assertThatThrownBy(() -> ledger.adjust(CAFE, account.id(), 50, new Posting("admin", " ", null)))
        .isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.errors()).extracting(FieldError::code).containsExactly("reason_required"));
    assertThatThrownBy(() -> ledger.adjust(CAFE, account.id(), 0, new Posting("admin", "nothing", null)))
        .isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.errors()).extracting(FieldError::code).containsExactly("amount_zero"));
    ledger.adjust(CAFE, account.id(), -300, new Posting("admin", "double top-up on Monday", null));
    ledger.adjust(CAFE, account.id(), 20, new Posting("admin", "goodwill", null));

    assertThat(ledger.balance(CAFE, account.id()).minorUnits()).isEqualTo(720);
    assertThat(h2.allEntries(account.id())).extracting(CreditEntry::kind).containsExactly(Kind.ADJUSTMENT, Kind.ADJUSTMENT, Kind.TOPUP);
  }

  @Test
  void anAdjustmentDownObeysTheOverdraftLimitLikeADebit() {
    CreditAccount account = h2.accountWith(100, 50);

    assertThatThrownBy(() -> ledger.adjust(CAFE, account.id(), -151, new Posting("admin", "fix", null)))
        .isInstanceOf(InsufficientCreditException.class);
    ledger.adjust(CAFE, account.id(), -150, new Posting("admin", "fix", null));

    assertThat(ledger.balance(CAFE, account.id()).minorUnits()).isEqualTo(-50);
  }

  @Test
  void aRefundGivesBackPartOfADebitThenTheRestAndNeverMore() {
    CreditAccount account = h2.accountWith(1000, 0);
    CreditEntry debit = ledger.debit(CAFE, account.id(), 600, by("till-1"), UUID.randomUUID(), "order 3").entry();

    CreditEntry part = ledger.refund(CAFE, debit.id(), 200L, keyed("r1")).entry();
    assertThatThrownBy(() -> ledger.refund(CAFE, debit.id(), 401L, keyed("r2")))
        .isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.errors()).extracting(FieldError::code).containsExactly("refund_exceeds_debit"));
    CreditEntry rest = ledger.refund(CAFE, debit.id(), null, keyed("r3")).entry();
    assertThatThrownBy(() -> ledger.refund(CAFE, debit.id(), 1L, keyed("r4"))).isInstanceOf(ValidationException.class);

    assertThat(part.amount().minorUnits()).isEqualTo(200);
    assertThat(rest.amount().minorUnits()).isEqualTo(400);
    assertThat(rest.refundOf()).isEqualTo(debit.id());
    assertThat(rest.paymentId()).isEqualTo(debit.paymentId());
    assertThat(ledger.balance(CAFE, account.id()).minorUnits()).isEqualTo(1000);
    assertThat(h2.ledgerSum(account.id())).isEqualTo(1000);
  }

  @Test
  void aRefundReplayedByKeyReturnsTheFirstRefundAndWritesNothing() {
    CreditAccount account = h2.accountWith(1000, 0);
    CreditEntry debit = ledger.debit(CAFE, account.id(), 600, by("till-1"), null, null).entry();

    CreditLedger.Recorded first = ledger.refund(CAFE, debit.id(), null, keyed("refund-1"));
    CreditLedger.Recorded again = ledger.refund(CAFE, debit.id(), null, keyed("refund-1"));
    CreditLedger.Recorded sameAmount = ledger.refund(CAFE, debit.id(), 600L, keyed("refund-1"));

    assertThat(again.created()).isFalse();
    assertThat(again.entry()).isEqualTo(first.entry());
    assertThat(sameAmount.entry()).isEqualTo(first.entry());
    assertThatThrownBy(() -> ledger.refund(CAFE, debit.id(), 100L, keyed("refund-1"))).isInstanceOf(IdempotencyConflictException.class);
    assertThat(h2.allEntries(account.id())).hasSize(3);
  }

  @Test
  void onlyADebitCanBeRefunded() {
    CreditAccount account = h2.account("Alex", 0);
    CreditEntry topUp = ledger.topUp(CAFE, account.id(), 100, by("till-1")).entry();

    assertThatThrownBy(() -> ledger.refund(CAFE, topUp.id(), null, by("till-1")))
        .isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.errors()).extracting(FieldError::code).containsExactly("not_a_debit"));
    assertThatThrownBy(() -> ledger.refund(CAFE, UUID.randomUUID(), null, by("till-1"))).isInstanceOf(NotFoundException.class);
  }

  @Test
  void anotherCafesAccountIsNotFoundForEveryOperation() {
    CreditAccount theirs = ledger.createAccount(OTHER_CAFE, new NewAccount("Theirs", null, null, null));
    ledger.topUp(OTHER_CAFE, theirs.id(), 1000, by("their-till"));
    CreditEntry theirDebit = ledger.debit(OTHER_CAFE, theirs.id(), 100, by("their-till"), null, null).entry();
    UUID id = theirs.id();

    assertThatThrownBy(() -> ledger.account(CAFE, id)).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> ledger.balance(CAFE, id)).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> ledger.entries(CAFE, id, 10)).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> ledger.topUp(CAFE, id, 100, by("till-1"))).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> ledger.debit(CAFE, id, 100, by("till-1"), null, null)).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> ledger.adjust(CAFE, id, 100, new Posting("admin", "x", null))).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> ledger.refund(CAFE, theirDebit.id(), null, by("till-1"))).isInstanceOf(NotFoundException.class);
    assertThat(ledger.balance(OTHER_CAFE, id)).isEqualTo(Money.of(900, "EUR"));
  }

  @Test
  void anAccountInAnotherCafeReplaysNothingToAKeyFromThisCafe() {
    CreditAccount theirs = ledger.createAccount(OTHER_CAFE, new NewAccount("Theirs", null, null, null));
    ledger.topUp(OTHER_CAFE, theirs.id(), 1000, keyed("k"));

    assertThatThrownBy(() -> ledger.topUp(CAFE, theirs.id(), 1000, keyed("k"))).isInstanceOf(NotFoundException.class);
  }

  @Test
  void anUnknownAccountIsNotFound() {
    assertThatThrownBy(() -> ledger.topUp(CAFE, UUID.randomUUID(), 100, by("till-1")))
        .isInstanceOf(NotFoundException.class).hasMessageStartingWith("No credit account");
  }

  @Test
  void entriesComeNewestFirstAndTheLimitKeepsTheNewest() {
    CreditAccount account = h2.account("Alex", 0);
    for (int i = 1; i <= 5; i++) {
      ledger.topUp(CAFE, account.id(), i, by("till-1"));
    }

    assertThat(ledger.entries(CAFE, account.id(), 2)).extracting(CreditEntry::seq).containsExactly(5L, 4L);
    assertThat(ledger.entries(CAFE, account.id(), 0)).extracting(CreditEntry::seq).containsExactly(5L);
  }
}
