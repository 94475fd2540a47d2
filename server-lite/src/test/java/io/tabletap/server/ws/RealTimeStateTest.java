package io.tabletap.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tabletap.server.device.Role;
import io.tabletap.server.realtime.RealTimeStateManager;
import io.tabletap.server.testing.MutableClock;
import io.tabletap.server.testing.RunningServer;
import io.tabletap.server.testing.WsClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kitchen display, queue positions from measured preparation times, TTLs, and rebuilding after a restart. */
class RealTimeStateTest {
  @TempDir Path dir;
  final MutableClock clock = new MutableClock(RunningServer.START);

  /** Pays, starts and bumps an order, taking {@code minutes} between start and READY. */
  private void cook(RunningServer server, String cashier, String kitchen, int minutes) {
    String id = Scene.order(server, cashier);
    Scene.payCash(server, cashier, id);
    Scene.move(server, kitchen, id, "IN_PREPARATION");
    clock.advance(Duration.ofMinutes(minutes));
    Scene.move(server, kitchen, id, "READY");
    Scene.move(server, cashier, id, "COMPLETED");
  }

  @Test
  void aPaidOrderJoinsTheKitchenDisplayAndHearsItsQueuePosition() {
    try (RunningServer server = RunningServer.start(dir, clock)) {
      String cashier = server.token(Role.CASHIER);
      WsClient kitchen = WsClient.authenticated(server.wsUrl(), server.token(Role.KITCHEN));
      kitchen.subscribe("cafe:demo:kitchen");
      String first = Scene.order(server, cashier);
      String second = Scene.order(server, cashier);
      WsClient display = WsClient.authenticated(server.wsUrl(), server.token(Role.CUSTOMER_DISPLAY));
      display.subscribe("order:" + second);

      Scene.payCash(server, cashier, first);
      Scene.payCash(server, cashier, second);

      // The first change after the start reads the display from the database and sends it whole...
      JsonNode whole = kitchen.nextEvent("kitchen_display_updated").get("data");
      assertThat(whole.get("activeOrders")).extracting(o -> o.get("orderId").asText()).containsExactly(first);
      // ...then each change is one delta, published with the order's own events (decision 0017).
      JsonNode one = kitchen.nextEvent("kitchen_display_updated").get("data");
      assertThat(one.get("cafeId").asText()).isEqualTo("demo");
      assertThat(one.get("orderId").asText()).isEqualTo(first);
      assertThat(one.get("status").asText()).isEqualTo("PAID");
      assertThat(one.get("order").get("queuePosition").asInt()).isEqualTo(1);
      assertThat(one.get("activeCount").asInt()).isEqualTo(1);
      JsonNode two = kitchen.nextEvent("kitchen_display_updated").get("data");
      assertThat(two.get("orderId").asText()).isEqualTo(second);
      assertThat(two.get("order").get("queuePosition").asInt()).isEqualTo(2);
      assertThat(two.get("order").get("estimatedWaitTime").asLong()).isEqualTo(300);
      assertThat(two.get("activeCount").asInt()).isEqualTo(2);
      assertThat(two.get("averagePreparationTime").asLong()).isEqualTo(300); // nothing measured yet: 5 min
      assertThat(two.get("currentLoad").asInt()).isEqualTo(20);
      JsonNode position = display.nextEvent("queue_position_updated").get("data");
      assertThat(position.get("orderId").asText()).isEqualTo(second);
      assertThat(position.get("position").asInt()).isEqualTo(2);
      assertThat(position.get("estimatedWaitTime").asLong()).isEqualTo(300); // ceil(2 / 2) × 300 s
      assertThat(position.get("estimatedReadyTime").asText()).isEqualTo(clock.instant().plusSeconds(300).toString());

      Scene.move(server, server.token(Role.KITCHEN), first, "IN_PREPARATION");
      Scene.move(server, server.token(Role.KITCHEN), first, "READY");
      JsonNode moved = display.nextEvent("queue_position_updated").get("data");
      assertThat(moved.get("position").asInt()).isEqualTo(1);
      JsonNode started = kitchen.nextEvent("kitchen_display_updated").get("data");
      assertThat(started.get("status").asText()).isEqualTo("IN_PREPARATION");
      assertThat(started.get("order").get("queuePosition").asInt()).isEqualTo(1);
      JsonNode bumped = kitchen.nextEvent("kitchen_display_updated").get("data");
      assertThat(bumped.get("orderId").asText()).isEqualTo(first);
      assertThat(bumped.get("status").asText()).isEqualTo("READY");
      assertThat(bumped.get("order").isNull()).isTrue();
      assertThat(bumped.get("activeCount").asInt()).isEqualTo(1);
      assertThat(bumped.get("completedCount").asInt()).isEqualTo(1);
      assertThat(server.server().realtimeState().kitchenDisplay("demo").completedOrders()).containsExactly(UUID.fromString(first));
      kitchen.close();
      display.close();
    }
  }

  @Test
  void waitsComeFromMeasuredPreparationTimesAndSurviveARestart() {
    String cashier;
    String kitchen;
    try (RunningServer server = RunningServer.start(dir, clock)) {
      cashier = server.token(Role.CASHIER);
      kitchen = server.token(Role.KITCHEN);
      cook(server, cashier, kitchen, 2);
      cook(server, cashier, kitchen, 4);

      assertThat(server.server().realtimeState().kitchenDisplay("demo").averagePreparationTime()).isEqualTo(180);
    }

    try (RunningServer again = RunningServer.start(dir, clock)) {
      String waiting = Scene.order(again, cashier);
      Scene.payCash(again, cashier, waiting);
      WsClient client = WsClient.authenticated(again.wsUrl(), kitchen);
      client.subscribe("cafe:demo:kitchen", Long.MAX_VALUE / 2);

      JsonNode state = client.next("snapshot").get("state");
      assertThat(state.get("averagePreparationTime").asLong()).isEqualTo(180);
      assertThat(state.get("activeOrders").get(0).get("orderId").asText()).isEqualTo(waiting);
      assertThat(state.get("activeOrders").get(0).get("estimatedWaitTime").asLong()).isEqualTo(180);
      client.close();
    }
  }

  @Test
  void statesExpireAfterTheirTtlsOnTheInjectedClockAndAreRebuiltFromTheDatabase() {
    try (RunningServer server = RunningServer.start(dir, clock)) {
      String cashier = server.token(Role.CASHIER);
      RealTimeStateManager state = server.server().realtimeState();
      UUID order = UUID.fromString(Scene.order(server, cashier));
      UUID payment = UUID.fromString(Scene.payCash(server, cashier, order.toString()));

      assertThat(state.peekOrderState(order)).isPresent();
      assertThat(state.peekPaymentState(payment)).isPresent();
      assertThat(state.peekKitchenDisplay("demo")).isPresent();
      clock.advance(RealTimeStateManager.KITCHEN_TTL.minusSeconds(1));
      assertThat(state.peekKitchenDisplay("demo")).isPresent();
      clock.advance(Duration.ofSeconds(1));
      assertThat(state.peekKitchenDisplay("demo")).isEmpty();
      clock.advance(RealTimeStateManager.PAYMENT_TTL.minus(RealTimeStateManager.KITCHEN_TTL));
      assertThat(state.peekPaymentState(payment)).isEmpty();
      assertThat(state.peekOrderState(order)).isPresent();
      clock.advance(RealTimeStateManager.ORDER_TTL.minus(RealTimeStateManager.PAYMENT_TTL));
      assertThat(state.peekOrderState(order)).isEmpty();
      // expired states are forgotten, not only hidden: memory does not grow with every order ever seen
      assertThat(state.cachedStates()).isEqualTo(2);
      assertThat(state.evictExpired()).isEqualTo(2);
      assertThat(state.cachedStates()).isZero();

      var rebuilt = state.orderState("demo", order);
      assertThat(rebuilt.status()).isEqualTo("PAID");
      assertThat(rebuilt.paymentStatus()).isEqualTo("COMPLETED");
      assertThat(rebuilt.kitchenStatus()).isEqualTo("QUEUED");
      assertThat(rebuilt.queuePosition()).isEqualTo(1);
      assertThat(state.paymentState("demo", payment).status()).isEqualTo("COMPLETED");
      assertThat(state.peekOrderState(order)).isPresent();
    }
  }

  @Test
  void anOrderRoomSnapshotCarriesTheOrderStateWithItsQueuePosition() {
    try (RunningServer server = RunningServer.start(dir, clock)) {
      String cashier = server.token(Role.CASHIER);
      String order = Scene.order(server, cashier);
      Scene.payCash(server, cashier, order);
      WsClient client = WsClient.authenticated(server.wsUrl(), cashier);

      client.subscribe("order:" + order, 10_000);
      JsonNode state = client.next("snapshot").get("state");

      assertThat(state.get("order").get("status").asText()).isEqualTo("PAID");
      assertThat(state.get("orderState").get("queuePosition").asInt()).isEqualTo(1);
      assertThat(state.get("orderState").get("paymentStatus").asText()).isEqualTo("COMPLETED");
      assertThat(state.get("payments").get(0).get("status").asText()).isEqualTo("COMPLETED");
      client.close();
    }
  }
}
