package io.tabletap.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tabletap.server.device.Role;
import io.tabletap.server.testing.RunningServer;
import io.tabletap.server.testing.WsClient;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What each room hears when orders and payments move, over HTTP, as devices really use it. */
class RealtimeEventsTest {
  @TempDir static Path dir;
  static RunningServer server;
  static String kitchenToken;
  static String cashierToken;
  static String displayToken;

  @BeforeAll
  static void start() {
    server = RunningServer.start(dir);
    kitchenToken = server.token(Role.KITCHEN);
    cashierToken = server.token(Role.CASHIER);
    displayToken = server.token(Role.CUSTOMER_DISPLAY);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static List<String> names(List<JsonNode> events) {
    return events.stream().map(e -> e.get("event").asText()).toList();
  }

  @Test
  void aKitchenSubscribedToItsRoomReceivesNewPaidOrderWhenCashPaysAnOrder() {
    WsClient kitchen = WsClient.authenticated(server.wsUrl(), kitchenToken);
    kitchen.subscribe("cafe:demo:kitchen");
    String orderId = Scene.order(server, cashierToken);

    RunningServer.Reply paid = server.postJson("/api/orders/" + orderId + "/payments", cashierToken,
        "{\"method\":\"CASH\",\"tendered\":500}");
    assertThat(paid.status()).as(paid.raw()).isEqualTo(201);

    JsonNode event = kitchen.nextEvent("new_paid_order");
    assertThat(event.get("room").asText()).isEqualTo("cafe:demo:kitchen");
    JsonNode data = event.get("data");
    assertThat(data.get("orderId").asText()).isEqualTo(orderId);
    assertThat(data.get("orderNumber").asInt()).isPositive();
    assertThat(data.get("priority").asInt()).isEqualTo(1);
    assertThat(data.get("items").get(0).get("itemId").asText()).isEqualTo("espresso");
    assertThat(data.get("items").get(0).get("quantity").asInt()).isEqualTo(1);
    JsonNode ready = kitchen.nextEvent("paid_order_ready_for_preparation");
    assertThat(ready.get("seq").asLong()).isEqualTo(event.get("seq").asLong() + 1);
    assertThat(ready.get("data").get("orderId").asText()).isEqualTo(orderId);
    assertThat(ready.get("data").get("paymentConfirmed").asBoolean()).isTrue();
    kitchen.close();
  }

  @Test
  void aCancelledPaymentIsHeardInItsOrderRoomAndAudited() {
    String orderId = Scene.order(server, cashierToken);
    WsClient till = WsClient.authenticated(server.wsUrl(), cashierToken);
    till.subscribe("order:" + orderId);
    String paymentId = server.postJson("/api/orders/" + orderId + "/payments", cashierToken,
        "{\"method\":\"QR_CODE_BANK_TRANSFER\"}").json().get("id").asText();
    assertThat(till.nextEvent("payment_initiated").get("data").get("status").asText()).isEqualTo("PENDING");

    RunningServer.Reply cancelled = server.postJson("/api/payments/" + paymentId + "/cancel", cashierToken, "{}");
    assertThat(cancelled.status()).as(cancelled.raw()).isEqualTo(200);

    JsonNode update = till.nextEvent("payment_status_updated").get("data");
    assertThat(update.get("paymentId").asText()).isEqualTo(paymentId);
    assertThat(update.get("status").asText()).isEqualTo("CANCELLED");
    assertThat(server.server().audit().list(io.tabletap.server.audit.AuditFilter.ALL, 500, 0).stream()
        .filter(r -> paymentId.equals(r.subject())).map(r -> r.dedupeKey()))
        .contains("payment:" + paymentId + ":CANCELLED");
    till.close();
  }

  @Test
  void theKitchenHearsAnOrderFromBeingTakenToBeingPaidInOrder() {
    WsClient kitchen = WsClient.authenticated(server.wsUrl(), kitchenToken);
    long seq = kitchen.subscribe("cafe:demo:kitchen").get("seq").asLong();
    String orderId = Scene.order(server, cashierToken);
    Scene.payCash(server, cashierToken, orderId);

    List<JsonNode> events = kitchen.events(5);

    assertThat(names(events)).containsExactly("new_order", "order_state_changed", "order_state_changed", "new_paid_order",
        "paid_order_ready_for_preparation");
    assertThat(events.stream().map(e -> e.get("seq").asLong()).toList())
        .containsExactly(seq + 1, seq + 2, seq + 3, seq + 4, seq + 5);
    assertThat(events.get(1).get("data").get("status").asText()).isEqualTo("PAYMENT_PENDING");
    assertThat(events.get(2).get("data").get("from").asText()).isEqualTo("PAYMENT_PENDING");
    assertThat(events.get(2).get("data").get("status").asText()).isEqualTo("PAID");
    kitchen.close();
  }

  @Test
  void theOrderAndPaymentRoomsHearThePaymentAndTheStaffRoomItsUpdates() {
    String orderId = Scene.order(server, cashierToken);
    WsClient display = WsClient.authenticated(server.wsUrl(), displayToken);
    display.subscribe("order:" + orderId);
    WsClient staff = WsClient.authenticated(server.wsUrl(), cashierToken);
    staff.subscribe("cafe:demo:staff");

    String paymentId = Scene.payCash(server, cashierToken, orderId);

    List<JsonNode> order = display.events(4);
    assertThat(names(order)).containsExactly("payment_initiated", "order_state_changed", "payment_status_updated",
        "order_state_changed");
    assertThat(order.get(0).get("data").get("paymentId").asText()).isEqualTo(paymentId);
    assertThat(order.get(0).get("data").get("method").asText()).isEqualTo("CASH");
    assertThat(order.get(2).get("data").get("status").asText()).isEqualTo("COMPLETED");
    assertThat(order.get(3).get("data").get("status").asText()).isEqualTo("PAID");
    List<JsonNode> updates = List.of(staff.nextEvent("payment_update"), staff.nextEvent("payment_update"));
    assertThat(updates.stream().map(e -> e.get("data").get("status").asText()).toList()).containsExactly("PENDING", "COMPLETED");

    WsClient cashier = WsClient.authenticated(server.wsUrl(), cashierToken);
    cashier.subscribe("payment:" + paymentId, 0);
    assertThat(names(cashier.events(2))).containsExactly("payment_initiated", "payment_status_updated");
    display.close();
    staff.close();
    cashier.close();
  }

  @Test
  void theBoardHearsWhenAnOrderIsReadyAndWhenItIsCollected() {
    String orderId = Scene.order(server, cashierToken);
    Scene.payCash(server, cashierToken, orderId);
    WsClient board = WsClient.authenticated(server.wsUrl(), displayToken);
    board.subscribe("cafe:demo:board");

    Scene.move(server, kitchenToken, orderId, "IN_PREPARATION");
    Scene.move(server, kitchenToken, orderId, "READY");
    Scene.move(server, cashierToken, orderId, "COMPLETED");

    JsonNode ready = board.next("event");
    assertThat(ready.get("event").asText()).isEqualTo("order_ready");
    assertThat(ready.get("data").get("orderId").asText()).isEqualTo(orderId);
    JsonNode collected = board.next("event");
    assertThat(collected.get("event").asText()).isEqualTo("order_collected");
    assertThat(collected.get("data").get("status").asText()).isEqualTo("COMPLETED");
    board.close();
  }
}
