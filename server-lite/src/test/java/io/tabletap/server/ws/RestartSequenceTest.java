package io.tabletap.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tabletap.server.device.Role;
import io.tabletap.server.testing.MutableClock;
import io.tabletap.server.testing.RunningServer;
import io.tabletap.server.testing.WsClient;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sequence numbers and the log survive a restart on the same data directory. */
class RestartSequenceTest {
  @TempDir Path dir;

  @Test
  void sequenceNumbersCarryOnAfterARestartAndTheLogStillReplays() {
    MutableClock clock = new MutableClock(RunningServer.START);
    String kitchen;
    String cashier;
    List<JsonNode> before;
    try (RunningServer first = RunningServer.start(dir, clock)) {
      kitchen = first.token(Role.KITCHEN);
      cashier = first.token(Role.CASHIER);
      WsClient client = WsClient.authenticated(first.wsUrl(), kitchen);
      client.subscribe("cafe:demo:kitchen");
      Scene.order(first, cashier);
      Scene.order(first, cashier);
      before = client.events(2);
      client.close();
    }
    assertThat(before.get(1).get("seq").asLong()).isEqualTo(2);

    try (RunningServer second = RunningServer.start(dir, clock)) {
      WsClient resumed = WsClient.authenticated(second.wsUrl(), kitchen);
      assertThat(resumed.subscribe("cafe:demo:kitchen", 2).get("seq").asLong()).isEqualTo(2);
      String after = Scene.order(second, cashier);
      JsonNode next = resumed.next("event");
      assertThat(next.get("seq").asLong()).isEqualTo(3);
      assertThat(next.get("data").get("orderId").asText()).isEqualTo(after);

      WsClient fromScratch = WsClient.authenticated(second.wsUrl(), kitchen);
      fromScratch.subscribe("cafe:demo:kitchen", 0);
      List<JsonNode> replayed = fromScratch.events(3);
      assertThat(replayed.subList(0, 2)).isEqualTo(before);
      assertThat(replayed.get(2)).isEqualTo(next);
      resumed.close();
      fromScratch.close();
    }
  }
}
