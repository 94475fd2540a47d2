package io.tabletap.server.http;

import io.tabletap.server.errors.ApiException;
import io.tabletap.server.device.AccessDeniedException;
import io.tabletap.server.device.Device;
import io.tabletap.server.device.Role;
import io.tabletap.server.domain.Money;
import io.tabletap.server.domain.ValidationException;
import io.tabletap.server.payment.credit.CreditAccount;
import io.tabletap.server.payment.credit.CreditEntry;
import io.tabletap.server.payment.credit.CreditLedger;
import io.tabletap.server.payment.credit.NewAccount;
import io.tabletap.server.payment.credit.Posting;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * {@code /api/credit/accounts}: open customer credit accounts, top them up, adjust them, read their
 * balance and ledger. Debits and refunds come only through the payment flow (the credit gateway).
 */
final class CreditRoutes {
  private static final Set<Role> STAFF = EnumSet.of(Role.ADMIN, Role.CASHIER);
  private static final Set<Role> ADMIN = EnumSet.of(Role.ADMIN);
  private static final int DEFAULT_LIMIT = 100;

  private final CreditLedger credit;

  CreditRoutes(CreditLedger credit) {
    this.credit = credit;
  }

  List<Route> routes() {
    return List.of(
        new Route("POST", "/api/credit/accounts", STAFF, this::create),
        new Route("GET", "/api/credit/accounts/{id}", STAFF, this::get),
        new Route("POST", "/api/credit/accounts/{id}/topups", STAFF, this::topUp),
        new Route("POST", "/api/credit/accounts/{id}/adjustments", ADMIN, this::adjust),
        new Route("GET", "/api/credit/accounts/{id}/ledger", STAFF, this::ledger));
  }

  record AccountBody(String name, String phone, String email, Long overdraftLimit) {}

  record AmountBody(Long amount, String reason) {}

  record AccountView(UUID id, String name, String phone, String email, long balance, long overdraftLimit, long available,
      String currency, Instant createdAt) {}

  record EntryView(UUID id, UUID accountId, long seq, String kind, long amount, long balanceAfter, String currency,
      String actor, String reason, UUID paymentId, String reference, UUID refundOf, Instant createdAt) {}

  record LedgerView(UUID accountId, long balance, String currency, List<EntryView> entries) {}

  private Response create(Request request) throws Exception {
    AccountBody body = request.bodyAs(AccountBody.class);
    if (body.overdraftLimit() != null && request.device().role() != Role.ADMIN) {
      throw new AccessDeniedException("Only an ADMIN device may set an overdraft limit");
    }
    CreditAccount account = credit.createAccount(request.device().cafeId(),
        new NewAccount(body.name(), body.phone(), body.email(), body.overdraftLimit()));
    return Response.created(view(account), "/api/credit/accounts/" + account.id());
  }

  private Response get(Request request) {
    return Response.ok(view(credit.account(request.device().cafeId(), accountId(request))));
  }

  private Response topUp(Request request) throws Exception {
    UUID id = accountId(request);
    AmountBody body = request.bodyAs(AmountBody.class);
    CreditLedger.Recorded recorded = credit.topUp(request.device().cafeId(), id, amount(body), posting(request, body));
    return answer(recorded);
  }

  private Response adjust(Request request) throws Exception {
    UUID id = accountId(request);
    AmountBody body = request.bodyAs(AmountBody.class);
    CreditLedger.Recorded recorded = credit.adjust(request.device().cafeId(), id, amount(body), posting(request, body));
    return answer(recorded);
  }

  private Response ledger(Request request) {
    UUID id = accountId(request);
    int limit = request.queryParam("limit").map(CreditRoutes::limit).orElse(DEFAULT_LIMIT);
    String cafeId = request.device().cafeId();
    List<CreditEntry> entries = credit.entries(cafeId, id, limit);
    Money balance = entries.isEmpty() ? credit.balance(cafeId, id) : entries.get(0).balanceAfter();
    return Response.ok(new LedgerView(id, balance.minorUnits(), balance.currency().getCurrencyCode(),
        entries.stream().map(CreditRoutes::view).toList()));
  }

  /** 201 with the new entry, or 200 with the first one on a replayed Idempotency-Key. */
  private static Response answer(CreditLedger.Recorded recorded) {
    EntryView view = view(recorded.entry());
    return recorded.created() ? Response.created(view, "/api/credit/accounts/" + view.accountId() + "/ledger") : Response.ok(view);
  }

  private static long amount(AmountBody body) {
    if (body.amount() == null) {
      throw ValidationException.of("amount", "amount_required", "Say how much, in minor units (cents)");
    }
    return body.amount();
  }

  private static Posting posting(Request request, AmountBody body) {
    Device device = request.device();
    return new Posting(device.id().toString(), body.reason(), request.header("Idempotency-Key").orElse(null));
  }

  private static UUID accountId(Request request) {
    String raw = request.pathParam("id");
    try {
      return UUID.fromString(raw);
    } catch (IllegalArgumentException e) {
      throw new ApiException(404, "not_found", "No credit account '" + raw + "'");
    }
  }

  private static int limit(String value) {
    try {
      int limit = Integer.parseInt(value);
      if (limit >= 1 && limit <= CreditLedger.MAX_ENTRIES) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new ApiException(400, "bad_parameter", "limit must be 1 to " + CreditLedger.MAX_ENTRIES);
  }

  private static AccountView view(CreditAccount a) {
    return new AccountView(a.id(), a.name(), a.phone(), a.email(), a.balance().minorUnits(), a.overdraftLimit().minorUnits(),
        a.available().minorUnits(), a.currency().getCurrencyCode(), a.createdAt());
  }

  private static EntryView view(CreditEntry e) {
    return new EntryView(e.id(), e.accountId(), e.seq(), e.kind().name(), e.amount().minorUnits(), e.balanceAfter().minorUnits(),
        e.amount().currency().getCurrencyCode(), e.actor(), e.reason(), e.paymentId(), e.reference(), e.refundOf(), e.createdAt());
  }
}
