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

/** Who may join which room, and that nothing of a refused room or another cafe ever arrives. */
class RoomPermissionsTest {
  @TempDir static Path dir;
  static RunningServer server;
  static String demoKitchen;
  static String demoCashier;
  static String demoDisplay;
  static String otherCashier;
  static String otherKitchen;

  @BeforeAll
  static void start() {
    server = RunningServer.start(dir);
    Scene.addCafeLikeDemo(server, "other");
    demoKitchen = server.token(Role.KITCHEN);
    demoCashier = server.token(Role.CASHIER);
    demoDisplay = server.token(Role.CUSTOMER_DISPLAY);
    otherCashier = server.server().devices().create("other", Role.CASHIER, "other till").token();
    otherKitchen = server.server().devices().create("other", Role.KITCHEN, "other kitchen").token();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static JsonNode refusal(WsClient client, String room) {
    client.sendJson("{\"type\":\"subscribe\",\"room\":\"" + room + "\"}");
    JsonNode error = client.next("error");
    assertThat(error.get("room").asText()).isEqualTo(room);
    return error;
  }

  @Test
  void aKitchenDeviceMayJoinTheKitchenButNotTheStaffRoom() {
    WsClient kitchen = WsClient.authenticated(server.wsUrl(), demoKitchen);

    assertThat(kitchen.subscribe("cafe:demo:kitchen").get("room").asText()).isEqualTo("cafe:demo:kitchen");
    JsonNode refused = refusal(kitchen, "cafe:demo:staff");
    assertThat(refused.get("code").asText()).isEqualTo("forbidden");
    assertThat(refused.get("message").asText()).isEqualTo("A KITCHEN device of this cafe may not join cafe:demo:staff");
    kitchen.close();
  }

  @Test
  void aCustomerDisplayMayJoinTheBoardTheCafeAndItsOrdersButNotTheKitchen() {
    String orderId = Scene.order(server, demoCashier);
    WsClient display = WsClient.authenticated(server.wsUrl(), demoDisplay);

    display.subscribe("cafe:demo:board");
    display.subscribe("cafe:demo");
    display.subscribe("order:" + orderId);
    assertThat(refusal(display, "cafe:demo:kitchen").get("code").asText()).isEqualTo("forbidden");
    assertThat(refusal(display, "cafe:demo:staff").get("code").asText()).isEqualTo("forbidden");
    display.close();
  }

  @Test
  void paymentAndFlowRoomsAreForCashiersAndAdmins() {
    String orderId = Scene.order(server, demoCashier);
    String paymentId = Scene.payCash(server, demoCashier, orderId);
    WsClient kitchen = WsClient.authenticated(server.wsUrl(), demoKitchen);
    WsClient cashier = WsClient.authenticated(server.wsUrl(), demoCashier);

    assertThat(refusal(kitchen, "payment:" + paymentId).get("code").asText()).isEqualTo("forbidden");
    assertThat(refusal(kitchen, "flow:checkout-1").get("code").asText()).isEqualTo("forbidden");
    assertThat(cashier.subscribe("payment:" + paymentId).get("seq").asLong()).isPositive();
    cashier.subscribe("flow:checkout-1");
    kitchen.close();
    cashier.close();
  }

  @Test
  void anotherCafesRoomsAreForbidden() {
    String otherOrder = Scene.order(server, otherCashier);
    String otherPayment = Scene.payCash(server, otherCashier, otherOrder);
    WsClient cashier = WsClient.authenticated(server.wsUrl(), demoCashier);

    for (String room : new String[] {"cafe:other", "cafe:other:staff", "cafe:other:kitchen", "cafe:other:board",
        "order:" + otherOrder, "payment:" + otherPayment}) {
      assertThat(refusal(cashier, room).get("code").asText()).as(room).isEqualTo("forbidden");
    }
    // the reader is told why: not their role, their cafe (an order's room says no more than for a missing one)
    assertThat(refusal(cashier, "cafe:other:kitchen").get("message").asText()).contains("belongs to another cafe");
    cashier.close();
  }

  @Test
  void anOrderOfAnotherCafeIsRefusedExactlyLikeOneThatDoesNotExist() {
    String otherOrder = Scene.order(server, otherCashier);
    WsClient cashier = WsClient.authenticated(server.wsUrl(), demoCashier);

    JsonNode foreign = refusal(cashier, "order:" + otherOrder);
    String missingRoom = "order:" + UUID.randomUUID();
    JsonNode missing = refusal(cashier, missingRoom);

    assertThat(foreign.get("code")).isEqualTo(missing.get("code"));
    assertThat(foreign.get("message").asText().replace(otherOrder, "X"))
        .isEqualTo(missing.get("message").asText().replace(missingRoom.substring(6), "X"));
    cashier.close();
  }

  @Test
  void aRoomNameThatIsNoRoomIsABadFrame() {
    WsClient cashier = WsClient.authenticated(server.wsUrl(), demoCashier);

    for (String name : new String[] {"cafe:demo:secret", "order:not-a-uuid", "kitchen", "cafe:", "flow:a b"}) {
      cashier.sendJson("{\"type\":\"subscribe\",\"room\":\"" + name + "\"}");
      assertThat(cashier.next("error").get("code").asText()).as(name).isEqualTo("unknown_room");
    }
    cashier.close();
  }

  @Test
  void noEventOfARefusedRoomOrAnotherCafeEverReachesADevice() {
    String otherOrder = Scene.order(server, otherCashier);
    WsClient demo = WsClient.authenticated(server.wsUrl(), demoKitchen);
    refusal(demo, "cafe:other:kitchen");
    refusal(demo, "cafe:other");
    refusal(demo, "order:" + otherOrder);
    refusal(demo, "cafe:demo:staff");
    demo.subscribe("cafe:demo:kitchen");
    WsClient other = WsClient.authenticated(server.wsUrl(), otherKitchen);
    other.subscribe("cafe:other:kitchen");

    // Everything the other cafe does, then one demo order as a marker.
    Scene.payCash(server, otherCashier, otherOrder);
    String otherSecond = Scene.order(server, otherCashier);
    String demoOrder = Scene.order(server, demoCashier);

    JsonNode first = demo.next("event");
    assertThat(first.get("event").asText()).isEqualTo("new_order");
    assertThat(first.get("data").get("orderId").asText()).isEqualTo(demoOrder);
    assertThat(demo.pending()).isEmpty();
    // …and the other cafe's kitchen saw its own events, and never the demo order.
    JsonNode seen;
    do {
      seen = other.next("event");
      assertThat(seen.get("room").asText()).isEqualTo("cafe:other:kitchen");
      assertThat(seen.get("data").toString()).doesNotContain(demoOrder).doesNotContain("\"demo\"");
    } while (!seen.get("data").path("orderId").asText().equals(otherSecond));
    demo.close();
    other.close();
  }
}
