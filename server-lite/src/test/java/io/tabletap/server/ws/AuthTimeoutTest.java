package io.tabletap.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.tabletap.server.device.Role;
import io.tabletap.server.testing.MutableClock;
import io.tabletap.server.testing.RunningServer;
import io.tabletap.server.testing.WsClient;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A connection must authenticate in time (here 1 s instead of 5 s) or it is closed with 4401. */
class AuthTimeoutTest {
  @TempDir static Path dir;
  static RunningServer server;
  static String kitchen;

  @BeforeAll
  static void start() {
    server = RunningServer.start(dir, new MutableClock(RunningServer.START),
        c -> c.withRealtime(c.realtime().withAuthTimeout(Duration.ofSeconds(1))));
    kitchen = server.token(Role.KITCHEN);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aConnectionThatDoesNotAuthenticateInTimeIsClosedWith4401() {
    WsClient client = WsClient.connect(server.wsUrl());

    assertThat(client.closeCode()).isEqualTo(4401);
  }

  @Test
  void anAuthenticatedConnectionOutlivesTheAuthTimeout() {
    WsClient client = WsClient.authenticated(server.wsUrl(), kitchen);
    WsClient late = WsClient.connect(server.wsUrl());
    assertThat(late.closeCode()).isEqualTo(4401); // started later, so the first one's timer fired too

    client.sendJson("{\"type\":\"ping\"}");

    assertThat(client.next("pong").has("at")).isTrue();
    assertThat(client.isClosedYet()).isFalse();
    client.close();
  }

}
