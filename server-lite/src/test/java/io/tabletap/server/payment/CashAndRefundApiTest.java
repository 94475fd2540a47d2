package io.tabletap.server.payment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tabletap.server.device.Role;
import io.tabletap.server.testing.RunningServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cash payments, split payments and refunds over real HTTP on a real H2 file. */
class CashAndRefundApiTest {
  @TempDir static Path dir;
  static RunningServer server;
  static String cashier;
  static String admin;

  @BeforeAll
  static void start() {
    server = RunningServer.start(dir);
    cashier = server.token(Role.CASHIER);
    admin = server.token(Role.ADMIN);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static String order(String itemsJson) {
    RunningServer.Reply reply = server.postJson("/api/orders", cashier, "{\"type\":\"TAKEAWAY\",\"lines\":" + itemsJson + "}");
    assertThat(reply.status()).isEqualTo(201);
    return reply.json().get("id").asText();
  }

  static String flatWhitesOrder() { // 2 × (450 + 100 + 70) = 1240
    return order("[{\"itemId\":\"flat-white\",\"quantity\":2,\"options\":[\"size-large\",\"milk-oat\"]}]");
  }

  static RunningServer.Reply pay(String orderId, String body) {
    return server.postJson("/api/orders/" + orderId + "/payments", cashier, body);
  }

  static String status(String orderId) {
    return server.get("/api/orders/" + orderId, cashier).json().get("status").asText();
  }

  @Test
  void cashRoundsTheTotalToFiveCentsAndGivesChange() {
    String orderId = order("[{\"itemId\":\"choc-chip-cookie\",\"quantity\":1}]"); // 3.99
    RunningServer.Reply reply = pay(orderId, "{\"method\":\"CASH\",\"tendered\":500}");
    assertThat(reply.status()).isEqualTo(201);
    JsonNode payment = reply.json();
    assertThat(payment.get("status").asText()).isEqualTo("COMPLETED");
    assertThat(payment.get("amount").asLong()).isEqualTo(399);
    assertThat(payment.get("change").asLong()).isEqualTo(100); // due 4.00 in cash
    assertThat(status(orderId)).isEqualTo("PAID");
  }

  @Test
  void tooLittleCashPaysPartAndLeavesTheOrderPending() {
    String orderId = flatWhitesOrder();
    JsonNode first = pay(orderId, "{\"method\":\"CASH\",\"tendered\":500}").json();
    assertThat(first.get("amount").asLong()).isEqualTo(500);
    assertThat(first.get("change").asLong()).isZero();
    assertThat(status(orderId)).isEqualTo("PAYMENT_PENDING");

    JsonNode second = pay(orderId, "{\"method\":\"CASH\",\"tendered\":1000}").json();
    assertThat(second.get("amount").asLong()).isEqualTo(740);
    assertThat(second.get("change").asLong()).isEqualTo(260);
    assertThat(status(orderId)).isEqualTo("PAID");

    RunningServer.Reply third = pay(orderId, "{\"method\":\"CASH\",\"tendered\":100}");
    assertThat(third.status()).isEqualTo(409);
    assertThat(third.json().get("error").asText()).isEqualTo("order_not_payable");
    assertThat(server.get("/api/orders/" + orderId + "/payments", cashier).json()).hasSize(2);
  }

  @Test
  void aPartialRefundLeavesTheRestAndASecondAboveTheRemainderIsRefused() {
    String orderId = flatWhitesOrder();
    String paymentId = pay(orderId, "{\"method\":\"CASH\",\"tendered\":1240}").json().get("id").asText();

    RunningServer.Reply first = server.postJson("/api/payments/" + paymentId + "/refunds", cashier,
        "{\"amount\":500,\"reason\":\"cold coffee\"}");
    assertThat(first.status()).isEqualTo(201);
    assertThat(first.json().get("status").asText()).isEqualTo("COMPLETED");
    JsonNode payment = server.get("/api/payments/" + paymentId, cashier).json();
    assertThat(payment.get("status").asText()).isEqualTo("PARTIALLY_REFUNDED");
    assertThat(payment.get("refunded").asLong()).isEqualTo(500);

    RunningServer.Reply tooMuch = server.postJson("/api/payments/" + paymentId + "/refunds", cashier,
        "{\"amount\":741,\"reason\":\"again\"}");
    assertThat(tooMuch.status()).isEqualTo(422);
    assertThat(tooMuch.json().get("error").asText()).isEqualTo("refund_exceeds_captured");
    assertThat(tooMuch.json().get("details").get("refundable").asLong()).isEqualTo(740);

    RunningServer.Reply rest = server.postJson("/api/payments/" + paymentId + "/refunds", admin, "{}");
    assertThat(rest.status()).isEqualTo(201);
    assertThat(rest.json().get("amount").asLong()).isEqualTo(740);
    assertThat(server.get("/api/payments/" + paymentId, cashier).json().get("status").asText()).isEqualTo("REFUNDED");
    assertThat(status(orderId)).isEqualTo("REFUNDED");
  }

  @Test
  void aCashierMustSayWhyARefundIsGiven() {
    String orderId = flatWhitesOrder();
    String paymentId = pay(orderId, "{\"method\":\"CASH\",\"tendered\":1240}").json().get("id").asText();
    RunningServer.Reply reply = server.postJson("/api/payments/" + paymentId + "/refunds", cashier, "{\"amount\":100}");
    assertThat(reply.status()).isEqualTo(422);
    assertThat(reply.json().get("details").get(0).get("code").asText()).isEqualTo("reason_required");
    assertThat(server.get("/api/payments/" + paymentId + "/refunds", cashier).json()).isEmpty();
  }

  @Test
  void concurrentRefundsNeverGiveBackMoreThanWasTaken() throws Exception {
    String orderId = flatWhitesOrder();
    String paymentId = pay(orderId, "{\"method\":\"CASH\",\"tendered\":1240}").json().get("id").asText();
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Integer>> results = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      results.add(pool.submit(() -> {
        go.await();
        return server.postJson("/api/payments/" + paymentId + "/refunds", cashier, "{\"amount\":300,\"reason\":\"race\"}").status();
      }));
    }
    go.countDown();
    int created = 0;
    for (Future<Integer> result : results) {
      int status = result.get(30, TimeUnit.SECONDS);
      assertThat(status).isIn(201, 422);
      created += status == 201 ? 1 : 0;
    }
    pool.shutdown();
    assertThat(created).isEqualTo(4); // 4 × 300 = 1200 ≤ 1240 < 5 × 300
    assertThat(server.get("/api/payments/" + paymentId, cashier).json().get("refunded").asLong()).isEqualTo(1200);
  }

  @Test
  void aRetryWithTheSameKeyReturnsTheSamePaymentAndAnotherBodyIsRefused() {
    String orderId = flatWhitesOrder();
    Map<String, String> key = Map.of("Idempotency-Key", "pay-" + orderId);
    String path = "/api/orders/" + orderId + "/payments";
    RunningServer.Reply first = server.postJson(path, cashier, "{\"method\":\"CASH\",\"amount\":600,\"tendered\":600}", key);
    RunningServer.Reply again = server.postJson(path, cashier, "{\"method\":\"CASH\",\"amount\":600,\"tendered\":600}", key);
    RunningServer.Reply other = server.postJson(path, cashier, "{\"method\":\"CASH\",\"amount\":600,\"tendered\":700}", key);
    assertThat(first.status()).isEqualTo(201);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().get("id")).isEqualTo(first.json().get("id"));
    assertThat(other.status()).isEqualTo(422);
    assertThat(other.json().get("error").asText()).isEqualTo("idempotency_key_reused");
    assertThat(server.get(path, cashier).json()).hasSize(1);
  }

  @Test
  void theKitchenCannotTakePaymentsAndBadBodiesChangeNothing() {
    String orderId = flatWhitesOrder();
    String kitchen = server.token(Role.KITCHEN);
    String path = "/api/orders/" + orderId + "/payments";
    assertThat(server.postJson(path, kitchen, "{\"method\":\"CASH\",\"tendered\":1240}").status()).isEqualTo(403);
    assertThat(pay(orderId, "{\"method\":\"BITCOIN\"}").status()).isEqualTo(422);
    assertThat(pay(orderId, "{\"method\":\"CASH\"}").json().get("details").get(0).get("code").asText()).isEqualTo("tendered_required");
    assertThat(pay(orderId, "{\"method\":\"CASH\",\"tendered\":2000,\"amount\":-5}").status()).isEqualTo(422);
    assertThat(pay(orderId, "{\"method\":\"CUSTOMER_CREDIT\"}").json().get("details").get(0).get("code").asText())
        .isEqualTo("credit_account_required");
    assertThat(pay("00000000-0000-0000-0000-000000000000", "{\"method\":\"CASH\",\"tendered\":100}").status()).isEqualTo(404);
    assertThat(server.get(path, cashier).json()).isEmpty();
    assertThat(status(orderId)).isEqualTo("CREATED");
  }
}
