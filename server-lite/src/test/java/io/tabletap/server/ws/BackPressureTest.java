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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A consumer that stops reading is cut with 4408 once 50 frames (here; 1,000 by default) wait for
 * it, gets nothing after that, and resumes from where it stopped with {@code since}.
 */
class BackPressureTest {
  private static final int CAPACITY = 50;
  private static final String PAD = "x".repeat(8 * 1024);

  @TempDir static Path dir;
  static RunningServer server;
  static String cashier;

  @BeforeAll
  static void start() {
    server = RunningServer.start(dir, new MutableClock(RunningServer.START),
        c -> c.withRealtime(c.realtime().withOutboundFrames(CAPACITY).withCloseGrace(Duration.ofSeconds(60))));
    cashier = server.token(Role.CASHIER);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static void publishBatch(RoomKey room, int count) {
    List<RoomEvent> batch = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      batch.add(new RoomEvent(room, "test_event", Map.of("pad", PAD), RunningServer.START));
    }
    server.server().rooms().publish(batch);
  }

  @Test
  void aConsumerThatFallsBehindIsCutWith4408AndResumesWithSince() {
    RoomKey room = new RoomKey("demo", "flow:firehose");
    WsClient slow = WsClient.authenticated(server.wsUrl(), cashier);
    slow.subscribe(room.room());
    WsClient fast = WsClient.authenticated(server.wsUrl(), cashier);
    fast.subscribe(room.room());
    slow.stall();

    int published = 0;
    while (server.server().rooms().memberCount(room) == 2 && published < 4_000) {
      publishBatch(room, 50); // 400 KiB a batch: the kernel's socket buffers fill, then ours
      published += 50;
      for (int i = 0; i < 50; i++) {
        fast.next("event"); // a consumer that keeps up is never cut
      }
    }
    assertThat(server.server().rooms().memberCount(room)).as("the slow consumer was cut").isEqualTo(1);
    publishBatch(room, 10);
    published += 10;
    slow.resume();

    assertThat(slow.closeCode()).isEqualTo(4408);
    List<JsonNode> got = slow.pending();
    assertThat(got).isNotEmpty().allSatisfy(f -> assertThat(f.get("type").asText()).isEqualTo("event"));
    for (int i = 0; i < got.size(); i++) {
      assertThat(got.get(i).get("seq").asLong()).isEqualTo(i + 1); // a gap-free prefix
    }
    long last = got.get(got.size() - 1).get("seq").asLong();
    assertThat(last).isLessThan(published);

    WsClient back = WsClient.authenticated(server.wsUrl(), cashier);
    assertThat(back.subscribe(room.room(), last).get("seq").asLong()).isEqualTo(published);
    List<JsonNode> rest = back.events((int) (published - last));
    assertThat(rest.get(0).get("seq").asLong()).isEqualTo(last + 1);
    assertThat(rest.get(rest.size() - 1).get("seq").asLong()).isEqualTo(published);
    assertThat(fast.events(10).get(9).get("seq").asLong()).isEqualTo(published);
    back.close();
    fast.close();
  }
}
