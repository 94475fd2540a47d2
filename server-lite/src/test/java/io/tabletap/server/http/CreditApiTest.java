package io.tabletap.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tabletap.server.device.Role;
import io.tabletap.server.domain.Cafe;
import io.tabletap.server.domain.Money;
import io.tabletap.server.domain.PaymentMethod;
import io.tabletap.server.menu.DemoCafe;
import io.tabletap.server.payment.PaymentRequest;
import io.tabletap.server.payment.credit.CreditAccount;
import io.tabletap.server.payment.credit.CreditGateway;
import io.tabletap.server.payment.credit.NewAccount;
import io.tabletap.server.payment.credit.Posting;
import io.tabletap.server.store.Database;
import io.tabletap.server.store.JdbcCafeStore;
import io.tabletap.server.testing.RunningServer;
import io.tabletap.server.testing.RunningServer.Reply;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The credit endpoints over HTTP, against one real server on a real H2 file. */
class CreditApiTest {
  private static final String ACCOUNTS = "/api/credit/accounts";

  @TempDir static Path dir;
  static RunningServer server;
  static Database sideDoor;
  static String admin;
  static String cashier;
  static String kitchen;
  static String display;

  @BeforeAll
  static void start() {
    server = RunningServer.start(dir);
    admin = server.token(Role.ADMIN);
    cashier = server.token(Role.CASHIER);
    kitchen = server.token(Role.KITCHEN);
    display = server.token(Role.CUSTOMER_DISPLAY);
    // a second handle on the same file: to add another cafe and to count rows behind the API's back
    sideDoor = Database.open(server.dataDir, 2);
    Cafe demo = DemoCafe.cafe();
    new JdbcCafeStore(sideDoor).insert(new Cafe("other", "Other Cafe", demo.currency(), demo.taxPolicy(), demo.zone(),
        demo.businessDayStart()));
  }

  @AfterAll
  static void stop() {
    sideDoor.close();
    server.close();
  }

  @Test
  void aCashierOpensAnAccountAndReadsItBack() {
    Reply created = server.postJson(ACCOUNTS, cashier, "{\"name\":\"Alex Chen\",\"phone\":\"+61 400 123 456\",\"email\":\"alex@example.com\"}");

    assertThat(created.status()).isEqualTo(201);
    JsonNode account = created.json();
    assertThat(created.header("Location")).isEqualTo(ACCOUNTS + "/" + account.get("id").asText());
    assertThat(account.get("name").asText()).isEqualTo("Alex Chen");
    assertThat(account.get("phone").asText()).isEqualTo("+61 400 123 456");
    assertThat(account.get("email").asText()).isEqualTo("alex@example.com");
    assertThat(account.get("balance").asLong()).isZero();
    assertThat(account.get("overdraftLimit").asLong()).isZero();
    assertThat(account.get("currency").asText()).isEqualTo("AUD");

    Reply read = server.get(created.header("Location"), cashier);
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.json()).isEqualTo(account);
  }

  @Test
  void anAdminMaySetAnOverdraftLimitAndACashierMayNot() {
    long before = accountCount();

    Reply byCashier = server.postJson(ACCOUNTS, cashier, "{\"name\":\"Sam\",\"overdraftLimit\":500}");
    Reply byAdmin = server.postJson(ACCOUNTS, admin, "{\"name\":\"Sam\",\"overdraftLimit\":500}");

    assertThat(byCashier.status()).isEqualTo(403);
    assertThat(byCashier.json().get("error").asText()).isEqualTo("forbidden");
    assertThat(byAdmin.status()).isEqualTo(201);
    assertThat(byAdmin.json().get("overdraftLimit").asLong()).isEqualTo(500);
    assertThat(byAdmin.json().get("available").asLong()).isEqualTo(500);
    assertThat(accountCount()).isEqualTo(before + 1);
  }

  @Test
  void aBadAccountRequestIs422WithEveryFieldErrorAndCreatesNothing() {
    long before = accountCount();

    Reply reply = server.postJson(ACCOUNTS, admin,
        "{\"name\":\"" + "n".repeat(81) + "\",\"phone\":\"12\",\"email\":\"alex at example\",\"overdraftLimit\":-1}");

    assertThat(reply.status()).isEqualTo(422);
    assertThat(reply.json().get("error").asText()).isEqualTo("validation_failed");
    assertThat(codes(reply)).containsExactly("name:name_too_long", "phone:bad_phone", "email:bad_email",
        "overdraftLimit:bad_overdraft_limit");
    assertThat(server.postJson(ACCOUNTS, cashier, "{\"name\":\"A\",\"nickname\":\"x\"}").status()).isEqualTo(422);
    assertThat(server.postJson(ACCOUNTS, cashier, "{\"name\":").status()).isEqualTo(400);
    assertThat(server.postJson(ACCOUNTS, cashier, "{}").json().get("details").get(0).get("code").asText()).isEqualTo("name_required");
    assertThat(accountCount()).isEqualTo(before);
  }

  @Test
  void aTopUpAnswers201WithTheEntryAndRaisesTheBalance() {
    String id = newAccount(cashier, "{\"name\":\"Top\"}");

    Reply reply = server.postJson(ACCOUNTS + "/" + id + "/topups", cashier, "{\"amount\":2000,\"reason\":\"cash\"}");

    assertThat(reply.status()).isEqualTo(201);
    assertThat(reply.header("Location")).isEqualTo(ACCOUNTS + "/" + id + "/ledger");
    JsonNode entry = reply.json();
    assertThat(entry.get("kind").asText()).isEqualTo("TOPUP");
    assertThat(entry.get("amount").asLong()).isEqualTo(2000);
    assertThat(entry.get("balanceAfter").asLong()).isEqualTo(2000);
    assertThat(entry.get("seq").asLong()).isEqualTo(1);
    assertThat(entry.get("reason").asText()).isEqualTo("cash");
    assertThat(entry.get("actor").asText()).isNotBlank();
    assertThat(entry.get("createdAt").asText()).isEqualTo(RunningServer.START.toString());
    assertThat(balance(id)).isEqualTo(2000);
  }

  @Test
  void aTopUpReplayedWithTheSameIdempotencyKeyAnswers200WithTheFirstEntryAndAddsNothing() {
    String id = newAccount(cashier, "{\"name\":\"Replay\"}");
    Map<String, String> key = Map.of("Idempotency-Key", "till-1-topup-77");

    Reply first = server.postJson(ACCOUNTS + "/" + id + "/topups", cashier, "{\"amount\":1000,\"reason\":\"card\"}", key);
    Reply again = server.postJson(ACCOUNTS + "/" + id + "/topups", cashier, "{\"amount\":1000,\"reason\":\"card\"}", key);
    Reply other = server.postJson(ACCOUNTS + "/" + id + "/topups", cashier, "{\"amount\":999,\"reason\":\"card\"}", key);

    assertThat(first.status()).isEqualTo(201);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json()).isEqualTo(first.json());
    assertThat(other.status()).isEqualTo(422);
    assertThat(other.json().get("error").asText()).isEqualTo("idempotency_key_reused");
    assertThat(balance(id)).isEqualTo(1000);
    assertThat(ledger(id, cashier).json().get("entries")).hasSize(1);
  }

  @Test
  void badTopUpsAre422AndChangeNothing() {
    String id = newAccount(cashier, "{\"name\":\"Careful\"}");
    server.postJson(ACCOUNTS + "/" + id + "/topups", cashier, "{\"amount\":500}");
    String path = ACCOUNTS + "/" + id + "/topups";

    assertThat(codes(server.postJson(path, cashier, "{\"amount\":0}"))).containsExactly("amount:amount_not_positive");
    assertThat(codes(server.postJson(path, cashier, "{\"amount\":-100}"))).containsExactly("amount:amount_not_positive");
    assertThat(codes(server.postJson(path, cashier, "{\"amount\":1000001}"))).containsExactly("amount:amount_too_large");
    assertThat(codes(server.postJson(path, cashier, "{\"reason\":\"cash\"}"))).containsExactly("amount:amount_required");
    assertThat(codes(server.postJson(path, cashier, "{\"amount\":100,\"reason\":\"" + "r".repeat(201) + "\"}")))
        .containsExactly("reason:reason_too_long");
    assertThat(server.postJson(path, cashier, "{\"amount\":2.5}").status()).isEqualTo(422);
    assertThat(server.postJson(path, cashier, "{\"amount\":\"5\"}").status()).isEqualTo(422);
    assertThat(codes(server.postJson(path, cashier, "{\"amount\":100}", Map.of("Idempotency-Key", "has space"))))
        .containsExactly("Idempotency-Key:bad_idempotency_key");

    assertThat(balance(id)).isEqualTo(500);
    assertThat(ledger(id, cashier).json().get("entries")).hasSize(1);
  }

  @Test
  void anAdminAdjustsEitherWayAndACashierMayNot() {
    String id = newAccount(cashier, "{\"name\":\"Adjust\"}");
    server.postJson(ACCOUNTS + "/" + id + "/topups", cashier, "{\"amount\":1000}");
    String path = ACCOUNTS + "/" + id + "/adjustments";

    Reply down = server.postJson(path, admin, "{\"amount\":-250,\"reason\":\"double top-up\"}");
    Reply byCashier = server.postJson(path, cashier, "{\"amount\":50,\"reason\":\"goodwill\"}");
    Reply noReason = server.postJson(path, admin, "{\"amount\":50}");

    assertThat(down.status()).isEqualTo(201);
    assertThat(down.json().get("kind").asText()).isEqualTo("ADJUSTMENT");
    assertThat(down.json().get("amount").asLong()).isEqualTo(-250);
    assertThat(byCashier.status()).isEqualTo(403);
    assertThat(codes(noReason)).containsExactly("reason:reason_required");
    assertThat(codes(server.postJson(path, admin, "{\"amount\":0,\"reason\":\"x\"}"))).containsExactly("amount:amount_zero");
    assertThat(balance(id)).isEqualTo(750);
  }

  @Test
  void anAdjustmentBelowTheOverdraftLimitIs422InsufficientCreditWithTheAmountsAndChangesNothing() {
    String id = newAccount(admin, "{\"name\":\"Limit\",\"overdraftLimit\":200}");
    server.postJson(ACCOUNTS + "/" + id + "/topups", cashier, "{\"amount\":300}");

    Reply reply = server.postJson(ACCOUNTS + "/" + id + "/adjustments", admin, "{\"amount\":-501,\"reason\":\"correction\"}");

    assertThat(reply.status()).isEqualTo(422);
    assertThat(reply.json().get("error").asText()).isEqualTo("insufficient_credit");
    JsonNode details = reply.json().get("details");
    assertThat(details.get("balance").asLong()).isEqualTo(300);
    assertThat(details.get("overdraftLimit").asLong()).isEqualTo(200);
    assertThat(details.get("available").asLong()).isEqualTo(500);
    assertThat(details.get("requested").asLong()).isEqualTo(501);
    assertThat(details.get("currency").asText()).isEqualTo("AUD");
    assertThat(balance(id)).isEqualTo(300);
  }

  @Test
  void theLedgerListsEntriesNewestFirstIncludingDebitsFromThePaymentFlow() {
    String id = newAccount(cashier, "{\"name\":\"Statement\"}");
    server.postJson(ACCOUNTS + "/" + id + "/topups", cashier, "{\"amount\":2000,\"reason\":\"cash\"}");
    CreditGateway gateway = new CreditGateway(server.server().credit());
    UUID paymentId = UUID.randomUUID();
    gateway.initiatePayment(new PaymentRequest(paymentId, UUID.randomUUID(), "demo", 12, PaymentMethod.CUSTOMER_CREDIT,
        Money.of(620, "AUD"), "payment-" + paymentId, "Demo Cafe order 12", id, "till-1"));

    Reply reply = ledger(id, admin);

    assertThat(reply.status()).isEqualTo(200);
    JsonNode body = reply.json();
    assertThat(body.get("accountId").asText()).isEqualTo(id);
    assertThat(body.get("balance").asLong()).isEqualTo(1380);
    assertThat(body.get("currency").asText()).isEqualTo("AUD");
    JsonNode debit = body.get("entries").get(0);
    assertThat(debit.get("kind").asText()).isEqualTo("DEBIT");
    assertThat(debit.get("amount").asLong()).isEqualTo(-620);
    assertThat(debit.get("balanceAfter").asLong()).isEqualTo(1380);
    assertThat(debit.get("reason").asText()).isEqualTo("order 12");
    assertThat(debit.get("paymentId").asText()).isEqualTo(paymentId.toString());
    assertThat(body.get("entries").get(1).get("kind").asText()).isEqualTo("TOPUP");
    assertThat(server.get(ACCOUNTS + "/" + id + "/ledger?limit=1", cashier).json().get("entries")).hasSize(1);
    assertThat(server.get(ACCOUNTS + "/" + id + "/ledger?limit=0", cashier).status()).isEqualTo(400);
    assertThat(server.get(ACCOUNTS + "/" + id + "/ledger?limit=x", cashier).json().get("error").asText()).isEqualTo("bad_parameter");
  }

  @Test
  void kitchenAndCustomerDisplayDevicesMayNotTouchCredit() {
    String id = newAccount(cashier, "{\"name\":\"Roles\"}");

    for (String token : List.of(kitchen, display)) {
      assertThat(server.postJson(ACCOUNTS, token, "{\"name\":\"X\"}").status()).isEqualTo(403);
      assertThat(server.get(ACCOUNTS + "/" + id, token).status()).isEqualTo(403);
      assertThat(server.postJson(ACCOUNTS + "/" + id + "/topups", token, "{\"amount\":100}").status()).isEqualTo(403);
      assertThat(server.postJson(ACCOUNTS + "/" + id + "/adjustments", token, "{\"amount\":100,\"reason\":\"x\"}").status())
          .isEqualTo(403);
      assertThat(server.get(ACCOUNTS + "/" + id + "/ledger", token).status()).isEqualTo(403);
    }
    assertThat(server.get(ACCOUNTS + "/" + id, null).status()).isEqualTo(401);
    assertThat(balance(id)).isZero();
  }

  @Test
  void anotherCafesAccountAndUnknownOrMalformedIdsAre404() {
    CreditAccount theirs = server.server().credit().createAccount("other", new NewAccount("Theirs", null, null, null));
    server.server().credit().topUp("other", theirs.id(), 900, new Posting("their-till", null, null));

    for (String id : List.of(theirs.id().toString(), UUID.randomUUID().toString(), "not-a-uuid")) {
      assertThat(server.get(ACCOUNTS + "/" + id, admin).status()).as(id).isEqualTo(404);
      assertThat(server.get(ACCOUNTS + "/" + id + "/ledger", admin).status()).as(id).isEqualTo(404);
      Reply topUp = server.postJson(ACCOUNTS + "/" + id + "/topups", cashier, "{\"amount\":100}");
      assertThat(topUp.status()).as(id).isEqualTo(404);
      assertThat(topUp.json().get("error").asText()).isEqualTo("not_found");
      assertThat(server.postJson(ACCOUNTS + "/" + id + "/adjustments", admin, "{\"amount\":-100,\"reason\":\"x\"}").status())
          .as(id).isEqualTo(404);
    }
    assertThat(server.server().credit().balance("other", theirs.id()).minorUnits()).isEqualTo(900);
  }

  private static String newAccount(String token, String body) {
    Reply reply = server.postJson(ACCOUNTS, token, body);
    assertThat(reply.status()).as(reply.raw()).isEqualTo(201);
    return reply.json().get("id").asText();
  }

  private static long balance(String id) {
    Reply reply = server.get(ACCOUNTS + "/" + id, cashier);
    assertThat(reply.status()).isEqualTo(200);
    return reply.json().get("balance").asLong();
  }

  private static Reply ledger(String id, String token) {
    return server.get(ACCOUNTS + "/" + id + "/ledger", token);
  }

  /** "field:code" for each field error of a 422. */
  private static List<String> codes(Reply reply) {
    assertThat(reply.status()).as(reply.raw()).isEqualTo(422);
    List<String> codes = new ArrayList<>();
    reply.json().get("details").forEach(d -> codes.add(d.get("field").asText() + ":" + d.get("code").asText()));
    return codes;
  }

  private static long accountCount() {
    return sideDoor.read(c -> {
      try (var s = c.prepareStatement("SELECT COUNT(*) FROM credit_accounts WHERE cafe_id = 'demo'"); var rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }
}
