package io.tabletap.server.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tabletap.server.device.Role;
import io.tabletap.server.testing.RunningServer;
import io.tabletap.server.testing.WsClient;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The endpoint itself over real sockets: authentication, bad frames, limits, ping. */
class WsEndpointTest {
  @TempDir static Path dir;
  static RunningServer server;
  static String kitchen;

  @BeforeAll
  static void start() {
    server = RunningServer.start(dir);
    kitchen = server.token(Role.KITCHEN);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void anAuthFrameIsAnsweredWithReadyNamingTheDevice() {
    WsClient client = WsClient.connect(server.wsUrl());
    client.sendJson("{\"type\":\"auth\",\"token\":\"" + kitchen + "\"}");

    JsonNode ready = client.next("ready");

    assertThat(ready.get("role").asText()).isEqualTo("KITCHEN");
    assertThat(ready.get("cafeId").asText()).isEqualTo("demo");
    assertThat(ready.get("deviceId").asText()).isEqualTo(server.server().devices().authenticate(kitchen).orElseThrow().id().toString());
    client.close();
  }

  @Test
  void aBearerTokenOnTheUpgradeAuthenticatesWithoutAnAuthFrame() {
    WsClient client = WsClient.connect(server.wsUrl(), Map.of("Authorization", "Bearer " + kitchen));

    assertThat(client.next("ready").get("role").asText()).isEqualTo("KITCHEN");
    client.close();
  }

  @Test
  void anUnknownTokenIsRefusedAndClosedWith4401() {
    WsClient client = WsClient.connect(server.wsUrl());
    client.sendJson("{\"type\":\"auth\",\"token\":\"tt_not-a-real-token\"}");

    assertThat(client.next("error").get("code").asText()).isEqualTo("unauthorized");
    assertThat(client.closeCode()).isEqualTo(4401);
  }

  @Test
  void malformedJsonAndUnknownTypesGetAnErrorFrameAndTheConnectionStays() {
    WsClient client = WsClient.authenticated(server.wsUrl(), kitchen);

    client.sendJson("{not json");
    assertThat(client.next("error").get("code").asText()).isEqualTo("malformed_json");
    client.sendJson("[1,2]");
    assertThat(client.next("error").get("code").asText()).isEqualTo("malformed_json");
    client.sendJson("{\"type\":\"dance\"}");
    assertThat(client.next("error").get("code").asText()).isEqualTo("unknown_type");
    client.sendJson("{\"type\":\"subscribe\"}");
    assertThat(client.next("error").get("code").asText()).isEqualTo("invalid_frame");
    client.send(new byte[] {1, 2, 3});
    assertThat(client.next("error").get("code").asText()).isEqualTo("malformed_json");

    client.sendJson("{\"type\":\"ping\"}");
    assertThat(client.next("pong")).isNotNull();
    client.close();
  }

  @Test
  void framesBeforeAuthenticationOtherThanPingAreRefused() {
    WsClient client = WsClient.connect(server.wsUrl());
    client.sendJson("{\"type\":\"ping\"}");
    assertThat(client.next("pong")).isNotNull();

    client.sendJson("{\"type\":\"subscribe\",\"room\":\"cafe:demo\"}");

    assertThat(client.next("error").get("code").asText()).isEqualTo("unauthenticated");
    client.close();
  }

  @Test
  void theTwentiethBadFrameClosesTheConnectionWith4400() {
    WsClient client = WsClient.authenticated(server.wsUrl(), kitchen);

    for (int i = 0; i < 20; i++) {
      client.sendJson("{\"type\":\"nonsense\"}");
    }

    for (int i = 0; i < 20; i++) {
      assertThat(client.next("error").get("code").asText()).isEqualTo("unknown_type");
    }
    assertThat(client.closeCode()).isEqualTo(4400);
  }

  @Test
  void nineteenBadFramesAreTolerated() {
    WsClient client = WsClient.authenticated(server.wsUrl(), kitchen);

    for (int i = 0; i < 19; i++) {
      client.sendJson("{\"type\":\"nonsense\"}");
    }
    client.sendJson("{\"type\":\"ping\"}");

    for (int i = 0; i < 19; i++) {
      client.next("error");
    }
    assertThat(client.next("pong")).isNotNull();
    assertThat(client.isClosedYet()).isFalse();
    client.close();
  }

  @Test
  void aFrameOver64KiBClosesTheConnectionWith1009() {
    WsClient client = WsClient.authenticated(server.wsUrl(), kitchen);

    client.sendJson("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(64 * 1024) + "\"}");

    assertThat(client.closeCode()).isEqualTo(1009);
  }

  @Test
  void aFrameFarOverTheLimitStillGetsItsCloseCodeNotAReset() {
    WsClient client = WsClient.authenticated(server.wsUrl(), kitchen);

    // The server reads only the frame's head; the megabytes after it must not turn into a reset (LingeringClose).
    client.sendJson("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(4 * 1024 * 1024) + "\"}");

    assertThat(client.closeCode()).isEqualTo(1009);
  }

  @Test
  void aFrameQueuedAfterTheServerStoppedWatchingForWritesStillGoesOutAtOnce() {
    WsClient client = WsClient.authenticated(server.wsUrl(), kitchen);
    UUID device = server.server().devices().authenticate(kitchen).orElseThrow().id();

    // what Java-WebSocket's lost write wake-up leaves: a frame queued while the key waits for reads only;
    // without the endpoint's write watch it would wait for the next ping, 15 s away
    assertThat(server.server().wsEndpoint().queueWithoutWakeUp(device, "{\"type\":\"pong\",\"n\":1}")).isEqualTo(1);

    assertThat(client.next("pong").get("n").asInt()).isEqualTo(1);
    client.close();
  }

  @Test
  void aFrameJustUnder64KiBIsAccepted() {
    WsClient client = WsClient.authenticated(server.wsUrl(), kitchen);
    String prefix = "{\"type\":\"ping\",\"pad\":\"";

    client.sendJson(prefix + "x".repeat(64 * 1024 - prefix.length() - 2) + "\"}");

    assertThat(client.next("pong")).isNotNull();
    client.close();
  }

  @Test
  void webSocketPingFramesAreAnsweredWithPongs() {
    WsClient client = WsClient.authenticated(server.wsUrl(), kitchen);

    client.sendPing();

    assertThat(client.awaitPong()).isTrue();
    client.close();
  }

  @Test
  void anotherPathIsNotAWebSocket() {
    assertThatThrownBy(() -> WsClient.connect(server.wsUrl().replace("/ws", "/other"))).isInstanceOf(AssertionError.class);
  }

  @Test
  void theServerExposesItsBoundPort() {
    assertThat(server.server().wsPort()).isPositive().isNotEqualTo(server.server().httpPort());
  }
}
