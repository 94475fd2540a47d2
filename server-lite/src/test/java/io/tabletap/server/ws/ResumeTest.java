package io.tabletap.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tabletap.server.device.Role;
import io.tabletap.server.realtime.RoomEvent;
import io.tabletap.server.realtime.RoomKey;
import io.tabletap.server.testing.MutableClock;
import io.tabletap.server.testing.RunningServer;
import io.tabletap.server.testing.WsClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resumable streams: replay of exactly what was missed, the switch to live, snapshots. */
class ResumeTest {
  @TempDir static Path dir;
  static MutableClock clock = new MutableClock(RunningServer.START);
  static RunningServer server;
  static String kitchen;
  static String cashier;

  @BeforeAll
  static void start() {
    server = RunningServer.start(dir, clock, c -> c.withRealtime(c.realtime().withWindow(Duration.ofHours(24), 3)));
    kitchen = server.token(Role.KITCHEN);
    cashier = server.token(Role.CASHIER);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static void publish(String room, int count, String tag) {
    for (int i = 0; i < count; i++) {
      server.server().rooms().publish(List.of(new RoomEvent(new RoomKey("demo", room), "test_event",
          Map.of("tag", tag, "i", i), clock.instant())));
    }
  }

  private static List<Long> seqs(List<JsonNode> events) {
    return events.stream().map(e -> e.get("seq").asLong()).toList();
  }

  @Test
  void aClientThatReconnectsWithSinceGetsExactlyTheEventsItMissedInOrderThenLiveOnes() {
    WsClient first = WsClient.authenticated(server.wsUrl(), kitchen);
    long start = first.subscribe("cafe:demo:kitchen").get("seq").asLong();
    Scene.order(server, cashier);
    Scene.order(server, cashier);
    List<JsonNode> seen = first.events(2);
    long last = seen.get(1).get("seq").asLong();
    assertThat(seqs(seen)).containsExactly(start + 1, start + 2);
    first.close();

    List<String> missed = List.of(Scene.order(server, cashier), Scene.order(server, cashier), Scene.order(server, cashier));
    WsClient again = WsClient.authenticated(server.wsUrl(), kitchen);
    JsonNode subscribed = again.subscribe("cafe:demo:kitchen", last);
    List<JsonNode> replayed = again.events(3);
    String live = Scene.order(server, cashier);
    JsonNode next = again.next("event");

    assertThat(subscribed.get("seq").asLong()).isEqualTo(last + 3);
    assertThat(seqs(replayed)).containsExactly(last + 1, last + 2, last + 3);
    assertThat(replayed.stream().map(e -> e.get("data").get("orderId").asText()).toList()).isEqualTo(missed);
    assertThat(replayed).allSatisfy(e -> assertThat(e.get("event").asText()).isEqualTo("new_order"));
    assertThat(next.get("seq").asLong()).isEqualTo(last + 4);
    assertThat(next.get("data").get("orderId").asText()).isEqualTo(live);
    again.close();
  }

  @Test
  void subscribingWithoutSinceGivesTheCurrentNumberAndOnlyLiveEvents() {
    publish("flow:plain", 4, "before");
    WsClient client = WsClient.authenticated(server.wsUrl(), cashier);

    assertThat(client.subscribe("flow:plain").get("seq").asLong()).isEqualTo(4);
    publish("flow:plain", 1, "after");
    JsonNode event = client.next("event");

    assertThat(event.get("seq").asLong()).isEqualTo(5);
    assertThat(event.get("data").get("tag").asText()).isEqualTo("after");
    assertThat(event.get("at").asText()).endsWith("Z").matches(".*T\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"); // milliseconds always shown
    assertThat(Instant.parse(event.get("at").asText())).isEqualTo(clock.instant().truncatedTo(ChronoUnit.MILLIS));
    client.close();
  }

  @Test
  void aReplayedEventCarriesTheSameTimeAsLive() {
    String room = "flow:timed";
    WsClient live = WsClient.authenticated(server.wsUrl(), cashier);
    long before = live.subscribe(room).get("seq").asLong();
    // forward to a time finer than the event log keeps (never back: other tests share the clock)
    Instant at = clock.instant().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1).plusNanos(123_456_789);
    clock.set(at);
    publish(room, 1, "timed");
    JsonNode heard = live.next("event");
    WsClient later = WsClient.authenticated(server.wsUrl(), cashier);
    later.subscribe(room, before);
    JsonNode replayed = later.next("event");

    assertThat(heard.get("at").asText()).isEqualTo(at.truncatedTo(ChronoUnit.MILLIS).toString()).endsWith(".123Z");
    assertThat(replayed.get("at").asText()).isEqualTo(heard.get("at").asText());
    live.close();
    later.close();
  }

  @Test
  void eventsPublishedWhileAReplayRunsArriveOnceEachWithNoGap() throws Exception {
    String room = "flow:busy";
    publish(room, 300, "old");
    WsClient client = WsClient.authenticated(server.wsUrl(), cashier);
    CompletableFuture<Void> publisher = CompletableFuture.runAsync(() -> publish(room, 300, "new"));

    client.subscribe(room, 0);
    publisher.get(WsClient.WAIT.toMillis(), TimeUnit.MILLISECONDS);
    List<JsonNode> all = client.events(600);

    List<Long> expected = new ArrayList<>();
    for (long i = 1; i <= 600; i++) {
      expected.add(i);
    }
    assertThat(seqs(all)).isEqualTo(expected);
    client.sendJson("{\"type\":\"ping\"}");
    assertThat(client.next("pong")).isNotNull(); // and nothing else was queued before it
    client.close();
  }

  @Test
  void aClientResumingFromBeyondTheWindowGetsASnapshotThenLiveEvents() {
    String orderId = Scene.order(server, cashier);
    String room = "order:" + orderId;
    Scene.move(server, cashier, orderId, "PAYMENT_PENDING");
    Scene.move(server, cashier, orderId, "CANCELLED");
    WsClient client = WsClient.authenticated(server.wsUrl(), cashier);
    long now = client.subscribe(room).get("seq").asLong();
    client.close();
    clock.advance(Duration.ofHours(25));
    // The window keeps 24 h, or the newest 3 events of the cafe: the CANCELLED move alone made 3
    // (order, staff, kitchen rooms), so the order room's first event is gone, its second is not.
    server.server().rooms().prune();

    WsClient again = WsClient.authenticated(server.wsUrl(), cashier);
    JsonNode subscribed = again.subscribe(room, 0);
    JsonNode snapshot = again.next("snapshot");

    assertThat(subscribed.get("seq").asLong()).isEqualTo(now);
    assertThat(snapshot.get("room").asText()).isEqualTo(room);
    assertThat(snapshot.get("seq").asLong()).isEqualTo(now);
    assertThat(snapshot.get("state").get("order").get("status").asText()).isEqualTo("CANCELLED");
    assertThat(snapshot.get("state").get("order").get("orderId").asText()).isEqualTo(orderId);
    server.server().rooms().publish(List.of(new RoomEvent(new RoomKey("demo", room), "test_event", Map.of(), clock.instant())));
    assertThat(again.next("event").get("seq").asLong()).isEqualTo(now + 1);
    again.close();
  }

  @Test
  void aClientAheadOfTheServerGetsASnapshot() {
    WsClient client = WsClient.authenticated(server.wsUrl(), kitchen);

    long seq = client.subscribe("cafe:demo:kitchen", 1_000_000).get("seq").asLong();

    JsonNode snapshot = client.next("snapshot");
    assertThat(snapshot.get("seq").asLong()).isEqualTo(seq);
    assertThat(snapshot.get("state").has("activeOrders")).isTrue();
    client.close();
  }

  @Test
  void unsubscribingStopsTheEvents() {
    WsClient client = WsClient.authenticated(server.wsUrl(), cashier);
    client.subscribe("flow:quiet");
    client.sendJson("{\"type\":\"unsubscribe\",\"room\":\"flow:quiet\"}");
    assertThat(client.next("unsubscribed").get("room").asText()).isEqualTo("flow:quiet");

    publish("flow:quiet", 2, "unheard");
    client.sendJson("{\"type\":\"ping\"}");

    assertThat(client.next("pong")).isNotNull();
    client.close();
  }
}
