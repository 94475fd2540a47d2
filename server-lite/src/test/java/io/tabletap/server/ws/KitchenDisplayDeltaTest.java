package io.tabletap.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tabletap.server.ServerLite;
import io.tabletap.server.device.Role;
import io.tabletap.server.realtime.EventLog;
import io.tabletap.server.realtime.LoggedEvent;
import io.tabletap.server.realtime.RealTimeStateManager;
import io.tabletap.server.realtime.RealtimeConfig;
import io.tabletap.server.realtime.RoomEvent;
import io.tabletap.server.realtime.RoomHub;
import io.tabletap.server.realtime.RoomKey;
import io.tabletap.server.realtime.States.KitchenDisplayState;
import io.tabletap.server.realtime.States.KitchenOrder;
import io.tabletap.server.store.Database;
import io.tabletap.server.store.JdbcEventLog;
import io.tabletap.server.testing.MutableClock;
import io.tabletap.server.testing.RunningServer;
import io.tabletap.server.testing.WsClient;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kitchen display kept in memory and sent as deltas (decision 0017): the model a run of order
 * events leaves is the one H2 gives, a client's snapshot plus deltas is the server's display, and
 * a restart or a missed event is healed from H2.
 */
class KitchenDisplayDeltaTest {
  private static final String KITCHEN_ROOM = "cafe:demo:kitchen";

  @TempDir Path dir;
  final MutableClock clock = new MutableClock(RunningServer.START);

  /**
   * Orders paid out of the order they were taken in, started, bumped, collected, refunded and
   * cancelled; returns {@code [a, b, c]}: b is waiting, c READY, a collected.
   */
  private List<String> busyKitchen(RunningServer server) {
    String cashier = server.token(Role.CASHIER);
    String kitchen = server.token(Role.KITCHEN);
    String a = Scene.order(server, cashier);
    clock.advance(Duration.ofSeconds(10));
    String b = Scene.order(server, cashier);
    clock.advance(Duration.ofSeconds(10));
    String c = Scene.order(server, cashier);
    String d = Scene.order(server, cashier);
    String e = Scene.order(server, cashier);
    Scene.payCash(server, cashier, c);
    Scene.payCash(server, cashier, a); // taken before c: goes ahead of it
    Scene.move(server, kitchen, c, "IN_PREPARATION"); // started: ahead of a
    clock.advance(Duration.ofMinutes(3));
    Scene.move(server, kitchen, c, "READY");
    Scene.payCash(server, cashier, b);
    Scene.move(server, kitchen, a, "IN_PREPARATION");
    clock.advance(Duration.ofMinutes(1));
    Scene.move(server, kitchen, a, "READY");
    Scene.move(server, cashier, a, "COMPLETED");
    String payment = Scene.payCash(server, cashier, d);
    RunningServer.Reply refund = server.postJson("/api/payments/" + payment + "/refunds", server.token(Role.ADMIN), "{}");
    assertThat(refund.status()).as(refund.raw()).isEqualTo(201);
    Scene.move(server, cashier, e, "CANCELLED");
    return List.of(a, b, c);
  }

  /**
   * The display as a manager with no memory builds it from the server's database and event log
   * (what it publishes goes nowhere).
   */
  private KitchenDisplayState rebuilt(RunningServer server) {
    try (Database db = Database.open(server.dataDir, 2)) {
      ServerLite s = server.server();
      RoomHub nowhere = new RoomHub(new DiscardingLog(), key -> Map.of(), RealtimeConfig.defaults(), clock);
      return new RealTimeStateManager(s.orders(), s.payments(), nowhere, new JdbcEventLog(db), key -> Map.of(), clock)
          .kitchenDisplay("demo");
    }
  }

  /** An event log that stores nothing. */
  private static final class DiscardingLog implements EventLog {
    @Override
    public List<LoggedEvent> append(List<RoomEvent> events) {
      return List.of();
    }

    @Override
    public Position position(RoomKey room) {
      return new Position(0, 0);
    }

    @Override
    public List<LoggedEvent> read(RoomKey room, long after, long upTo, int limit) {
      return List.of();
    }

    @Override
    public List<LoggedEvent> latest(RoomKey room, int limit) {
      return List.of();
    }

    @Override
    public int prune(Instant cutoff, int keepPerCafe) {
      return 0;
    }
  }

  /** A kitchen client that joined with a snapshot: the snapshot frame. */
  private static JsonNode joinWithSnapshot(WsClient client) {
    client.subscribe(KITCHEN_ROOM, Long.MAX_VALUE / 2);
    return client.next("snapshot");
  }

  /** The {@code data} of the kitchen room's deltas this client gets, up to the room's event {@code seq}. */
  private static List<JsonNode> deltasThrough(WsClient client, long seq) {
    List<JsonNode> deltas = new ArrayList<>();
    long at = 0;
    while (at < seq) {
      JsonNode event = client.next("event");
      at = event.get("seq").asLong();
      if ("kitchen_display_updated".equals(event.get("event").asText())) {
        deltas.add(event.get("data"));
      }
    }
    return deltas;
  }

  @Test
  void theModelFollowedByEventsIsTheDisplayTheDatabaseGives() {
    try (RunningServer server = RunningServer.start(dir, clock)) {
      List<String> abc = busyKitchen(server);

      KitchenDisplayState followed = server.server().realtimeState().kitchenDisplay("demo");

      assertThat(followed).isEqualTo(rebuilt(server));
      assertThat(followed.activeOrders()).extracting(KitchenOrder::orderId).containsExactly(UUID.fromString(abc.get(1)));
      assertThat(followed.completedOrders()).containsExactly(UUID.fromString(abc.get(2)));
      assertThat(followed.averagePreparationTime()).isEqualTo(120); // (3 min + 1 min) / 2
    }
  }

  @Test
  void aSnapshotPlusTheDeltasAfterItIsTheNextSnapshot() {
    try (RunningServer server = RunningServer.start(dir, clock)) {
      String cashier = server.token(Role.CASHIER);
      String kitchenToken = server.token(Role.KITCHEN);
      Scene.payCash(server, cashier, Scene.order(server, cashier)); // already waiting when the screen starts
      WsClient screen = WsClient.authenticated(server.wsUrl(), kitchenToken);
      KitchenScreen shown = new KitchenScreen(joinWithSnapshot(screen).get("state"));

      busyKitchen(server);
      WsClient later = WsClient.authenticated(server.wsUrl(), kitchenToken);
      JsonNode now = joinWithSnapshot(later);
      List<JsonNode> deltas = deltasThrough(screen, now.get("seq").asLong());
      shown.applyAll(deltas);

      assertThat(deltas).hasSize(10); // one per change of a kitchen order, none for the cancelled one
      assertThat(shown.state()).isEqualTo(now.get("state"));
      assertThat(shown.countsDiffered()).isZero();
      // A snapshot may already reflect events after its seq: applying them again changes nothing.
      shown.applyAll(deltas);
      assertThat(shown.state()).isEqualTo(now.get("state"));
      screen.close();
      later.close();
    }
  }

  @Test
  void onlyOrdersWhosePlaceChangedAreToldTheirPosition() {
    try (RunningServer server = RunningServer.start(dir, clock)) {
      String cashier = server.token(Role.CASHIER);
      String kitchen = server.token(Role.KITCHEN);
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        ids.add(Scene.order(server, cashier));
        Scene.payCash(server, cashier, ids.get(i)); // joins at the end: nobody else moves
      }
      Scene.move(server, kitchen, ids.get(0), "IN_PREPARATION"); // already first: nobody moves
      Scene.move(server, kitchen, ids.get(0), "READY"); // everyone behind it moves up

      WsClient client = WsClient.authenticated(server.wsUrl(), cashier);
      List<List<Integer>> told = new ArrayList<>();
      for (String id : ids) {
        long seq = client.subscribe("order:" + id, 0).get("seq").asLong();
        List<Integer> positions = new ArrayList<>();
        for (long at = 0; at < seq; ) {
          JsonNode event = client.next("event");
          at = event.get("seq").asLong();
          if ("queue_position_updated".equals(event.get("event").asText())) {
            positions.add(event.get("data").get("position").asInt());
          }
        }
        told.add(positions);
      }

      assertThat(told).containsExactly(List.of(1), List.of(2, 1), List.of(3, 2), List.of(4, 3));
      client.close();
    }
  }

  @Test
  void aRestartRebuildsTheDisplayFromTheDatabaseAndTheNextChangeIsADeltaOnIt() {
    KitchenDisplayState before;
    JsonNode heldAcross;
    String cashier;
    String kitchen;
    try (RunningServer server = RunningServer.start(dir, clock)) {
      cashier = server.token(Role.CASHIER);
      kitchen = server.token(Role.KITCHEN);
      busyKitchen(server);
      before = server.server().realtimeState().kitchenDisplay("demo");
      WsClient screen = WsClient.authenticated(server.wsUrl(), kitchen);
      heldAcross = joinWithSnapshot(screen); // a screen that will resume after the restart
      screen.close();
    }

    try (RunningServer again = RunningServer.start(dir, clock)) {
      WsClient screen = WsClient.authenticated(again.wsUrl(), kitchen);
      screen.subscribe(KITCHEN_ROOM);
      String next = Scene.order(again, cashier);
      Scene.payCash(again, cashier, next); // the first change after the start loads the model, and is still sent

      // First the display as read from the database, whole: it repairs a screen that missed a delta in a crash.
      JsonNode whole = screen.nextEvent("kitchen_display_updated").get("data");
      assertThat(whole.get("activeOrders")).extracting(o -> o.get("orderId").asText())
          .containsExactly(before.activeOrders().get(0).orderId().toString(), next);
      assertThat(whole.get("completedOrders")).extracting(JsonNode::asText)
          .containsExactly(before.completedOrders().get(0).toString());
      JsonNode delta = screen.nextEvent("kitchen_display_updated").get("data");
      assertThat(delta.get("orderId").asText()).isEqualTo(next);
      assertThat(delta.get("order").get("queuePosition").asInt()).isEqualTo(2);
      assertThat(delta.get("activeCount").asInt()).isEqualTo(2);
      assertThat(delta.get("completedCount").asInt()).isEqualTo(1);
      assertThat(delta.get("averagePreparationTime").asLong()).isEqualTo(120); // measured before the restart
      KitchenDisplayState after = again.server().realtimeState().kitchenDisplay("demo");
      assertThat(after.activeOrders().get(0)).isEqualTo(before.activeOrders().get(0));
      assertThat(after.completedOrders()).isEqualTo(before.completedOrders());
      assertThat(after).isEqualTo(rebuilt(again));

      WsClient resumed = WsClient.authenticated(again.wsUrl(), kitchen);
      long last = resumed.subscribe(KITCHEN_ROOM, heldAcross.get("seq").asLong()).get("seq").asLong();
      KitchenScreen shown = new KitchenScreen(heldAcross.get("state"));
      shown.applyAll(deltasThrough(resumed, last));
      WsClient fresh = WsClient.authenticated(again.wsUrl(), kitchen);
      assertThat(shown.state()).isEqualTo(joinWithSnapshot(fresh).get("state"));
      screen.close();
      resumed.close();
      fresh.close();
    }
  }

  @Test
  void aChangeTheModelNeverHeardOfIsFoundAfterTheTtlAndSentAsADelta() {
    try (RunningServer server = RunningServer.start(dir, clock)) {
      String cashier = server.token(Role.CASHIER);
      RealTimeStateManager state = server.server().realtimeState();
      String a = Scene.order(server, cashier);
      String b = Scene.order(server, cashier);
      Scene.payCash(server, cashier, a);
      Scene.payCash(server, cashier, b);
      WsClient screen = WsClient.authenticated(server.wsUrl(), server.token(Role.KITCHEN));
      screen.subscribe(KITCHEN_ROOM);
      WsClient display = WsClient.authenticated(server.wsUrl(), server.token(Role.CUSTOMER_DISPLAY));
      display.subscribe("order:" + b);
      // a is bumped behind the server's back: no event reaches the model (as when storing its room events failed)
      try (Database db = Database.open(server.dataDir, 2)) {
        db.inTransaction(c -> {
          try (PreparedStatement s = c.prepareStatement("UPDATE orders SET status = 'READY', updated_at = ?, version = version + 1"
              + " WHERE id = ?")) {
            s.setObject(1, clock.instant().atOffset(ZoneOffset.UTC));
            s.setObject(2, UUID.fromString(a));
            return s.executeUpdate();
          }
        });
      }

      assertThat(state.kitchenDisplay("demo").activeOrders()).hasSize(2); // trusted within the TTL
      clock.advance(RealTimeStateManager.KITCHEN_TTL);
      assertThat(state.peekKitchenDisplay("demo")).isEmpty();
      KitchenDisplayState checked = state.kitchenDisplay("demo");

      assertThat(checked.completedOrders()).containsExactly(UUID.fromString(a));
      assertThat(checked).isEqualTo(rebuilt(server));
      assertThat(state.peekKitchenDisplay("demo")).contains(checked);
      JsonNode delta = screen.nextEvent("kitchen_display_updated").get("data");
      assertThat(delta.get("orderId").asText()).isEqualTo(a);
      assertThat(delta.get("status").asText()).isEqualTo("READY");
      assertThat(display.nextEvent("queue_position_updated").get("data").get("position").asInt()).isEqualTo(1);
      screen.close();
      display.close();
    }
  }
}
