package io.tabletap.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tabletap.server.device.Role;
import io.tabletap.server.testing.RunningServer;
import io.tabletap.server.testing.WsClient;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Commands over the socket: the same services and error codes as HTTP, idempotent per command id. */
class CommandsTest {
  @TempDir static Path dir;
  static RunningServer server;
  static String cashierToken;
  static String kitchenToken;

  @BeforeAll
  static void start() {
    server = RunningServer.start(dir);
    cashierToken = server.token(Role.CASHIER);
    kitchenToken = server.token(Role.KITCHEN);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static JsonNode command(WsClient client, String id, String name, String payload) {
    client.sendJson("{\"type\":\"command\",\"id\":\"" + id + "\",\"name\":\"" + name + "\",\"payload\":" + payload + "}");
    JsonNode result = client.nextOfType("result");
    assertThat(result.get("id").asText()).isEqualTo(id);
    return result;
  }

  static int orderCount() {
    return server.get("/api/orders?limit=500", cashierToken).json().size();
  }

  @Test
  void aCashierTakesAnOrderOverTheSocketAndTheKitchenHearsIt() {
    WsClient kitchen = WsClient.authenticated(server.wsUrl(), kitchenToken);
    kitchen.subscribe("cafe:demo:kitchen");
    WsClient till = WsClient.authenticated(server.wsUrl(), cashierToken);

    JsonNode result = command(till, UUID.randomUUID().toString(), "order.create", Scene.ONE_ESPRESSO);

    assertThat(result.get("ok").asBoolean()).as(result.toString()).isTrue();
    JsonNode order = result.get("data");
    assertThat(order.get("status").asText()).isEqualTo("CREATED");
    assertThat(order.get("total").asLong()).isEqualTo(350);
    assertThat(kitchen.nextEvent("new_order").get("data").get("orderId")).isEqualTo(order.get("orderId"));
    assertThat(server.get("/api/orders/" + order.get("orderId").asText(), cashierToken).status()).isEqualTo(200);
    kitchen.close();
    till.close();
  }

  @Test
  void aCommandIdSeenBeforeReturnsTheFirstResultAndDoesNothingAgain() {
    WsClient till = WsClient.authenticated(server.wsUrl(), cashierToken);
    String id = UUID.randomUUID().toString();
    JsonNode first = command(till, id, "order.create", Scene.ONE_ESPRESSO);
    int count = orderCount();
    till.close();

    WsClient reconnected = WsClient.authenticated(server.wsUrl(), cashierToken);
    JsonNode again = command(reconnected, id, "order.create", Scene.ONE_ESPRESSO);

    assertThat(again).isEqualTo(first);
    assertThat(orderCount()).isEqualTo(count);
    reconnected.close();
  }

  @Test
  void aRefusalIsAnsweredWithTheHttpErrorCodeAndAlsoRepeated() {
    WsClient till = WsClient.authenticated(server.wsUrl(), cashierToken);
    String id = UUID.randomUUID().toString();

    JsonNode bad = command(till, id, "order.create", "{\"type\":\"TAKEAWAY\",\"lines\":[{\"itemId\":\"caviar\",\"quantity\":1}]}");

    assertThat(bad.get("ok").asBoolean()).isFalse();
    assertThat(bad.get("error").get("code").asText()).isEqualTo("validation_failed");
    assertThat(bad.get("error").get("message").asText()).isNotBlank();
    assertThat(bad.get("error").get("details").get(0).get("code").asText()).isEqualTo("unknown_item");
    assertThat(command(till, id, "order.create", Scene.ONE_ESPRESSO)).isEqualTo(bad);
    till.close();
  }

  @Test
  void rolesAndTheStateMachineAreEnforcedAsOverHttp() {
    WsClient kitchen = WsClient.authenticated(server.wsUrl(), kitchenToken);
    WsClient till = WsClient.authenticated(server.wsUrl(), cashierToken);

    JsonNode forbidden = command(kitchen, "k-1", "order.create", Scene.ONE_ESPRESSO);
    assertThat(forbidden.get("error").get("code").asText()).isEqualTo("forbidden");

    String orderId = command(till, UUID.randomUUID().toString(), "order.create", Scene.ONE_ESPRESSO).get("data").get("orderId").asText();
    JsonNode illegal = command(kitchen, UUID.randomUUID().toString(), "kitchen.bump", "{\"orderId\":\"" + orderId + "\"}");
    assertThat(illegal.get("error").get("code").asText()).isEqualTo("illegal_transition");
    assertThat(illegal.get("error").get("details").get("from").asText()).isEqualTo("CREATED");

    JsonNode unknown = command(till, UUID.randomUUID().toString(), "order.teleport", "{}");
    assertThat(unknown.get("error").get("code").asText()).isEqualTo("unknown_command");
    JsonNode missing = command(till, UUID.randomUUID().toString(), "kitchen.start", "{}");
    assertThat(missing.get("error").get("code").asText()).isEqualTo("validation_failed");
    JsonNode shape = command(till, UUID.randomUUID().toString(), "kitchen.start", "{\"orderId\":42}");
    assertThat(shape.get("error").get("code").asText()).isEqualTo("validation_failed");
    kitchen.close();
    till.close();
  }

  @Test
  void anOrderGoesFromTillToBoardByCommandsWithCashAndAKitchenBump() {
    WsClient till = WsClient.authenticated(server.wsUrl(), cashierToken);
    WsClient kitchen = WsClient.authenticated(server.wsUrl(), kitchenToken);
    kitchen.subscribe("cafe:demo:kitchen");
    kitchen.subscribe("cafe:demo:board");
    String orderId = command(till, UUID.randomUUID().toString(), "order.create", Scene.ONE_ESPRESSO).get("data").get("orderId").asText();

    JsonNode paid = command(till, UUID.randomUUID().toString(), "payment.start",
        "{\"orderId\":\"" + orderId + "\",\"method\":\"CASH\",\"tendered\":500}");
    assertThat(paid.get("ok").asBoolean()).as(paid.toString()).isTrue();
    assertThat(paid.get("data").get("payment").get("status").asText()).isEqualTo("COMPLETED");
    assertThat(kitchen.nextEvent("new_paid_order").get("data").get("orderId").asText()).isEqualTo(orderId);

    JsonNode started = command(kitchen, UUID.randomUUID().toString(), "kitchen.start", "{\"orderId\":\"" + orderId + "\"}");
    assertThat(started.get("data").get("status").asText()).isEqualTo("IN_PREPARATION");
    JsonNode bumped = command(kitchen, UUID.randomUUID().toString(), "kitchen.bump", "{\"orderId\":\"" + orderId + "\"}");
    assertThat(bumped.get("data").get("status").asText()).isEqualTo("READY");
    assertThat(kitchen.nextEvent("order_ready").get("data").get("orderId").asText()).isEqualTo(orderId);

    JsonNode recalled = command(kitchen, UUID.randomUUID().toString(), "kitchen.recall", "{\"orderId\":\"" + orderId + "\"}");
    assertThat(recalled.get("ok").asBoolean()).as(recalled.toString()).isTrue();
    assertThat(kitchen.nextEvent("order_recalled").get("data").get("orderId").asText()).isEqualTo(orderId);
    till.close();
    kitchen.close();
  }

  @Test
  void aCashierCancelsAnOrderAndRefundsAPaymentByCommand() {
    WsClient till = WsClient.authenticated(server.wsUrl(), cashierToken);
    String toCancel = command(till, UUID.randomUUID().toString(), "order.create", Scene.ONE_ESPRESSO).get("data").get("orderId").asText();
    JsonNode cancelled = command(till, UUID.randomUUID().toString(), "order.cancel", "{\"orderId\":\"" + toCancel + "\"}");
    assertThat(cancelled.get("data").get("status").asText()).isEqualTo("CANCELLED");

    String orderId = Scene.order(server, cashierToken);
    String paymentId = Scene.payCash(server, cashierToken, orderId);
    JsonNode refund = command(till, UUID.randomUUID().toString(), "payment.refund",
        "{\"paymentId\":\"" + paymentId + "\",\"amount\":100,\"reason\":\"cold\"}");

    assertThat(refund.get("ok").asBoolean()).as(refund.toString()).isTrue();
    assertThat(refund.get("data").get("status").asText()).isEqualTo("COMPLETED");
    assertThat(refund.get("data").get("amount").asLong()).isEqualTo(100);
    assertThat(server.get("/api/payments/" + paymentId, cashierToken).json().get("refunded").asLong()).isEqualTo(100);
    till.close();
  }

  @Test
  void aBadCommandFrameIsABadFrameNotAResult() {
    WsClient till = WsClient.authenticated(server.wsUrl(), cashierToken);

    till.sendJson("{\"type\":\"command\",\"name\":\"order.create\",\"payload\":{}}");
    assertThat(till.next("error").get("code").asText()).isEqualTo("invalid_frame");
    till.sendJson("{\"type\":\"command\",\"id\":\"has space\",\"name\":\"order.create\"}");
    assertThat(till.next("error").get("code").asText()).isEqualTo("invalid_frame");
    till.sendJson("{\"type\":\"command\",\"id\":\"x\",\"name\":\"order.create\",\"payload\":[1]}");
    assertThat(till.next("error").get("code").asText()).isEqualTo("invalid_frame");
    till.close();
  }
}
