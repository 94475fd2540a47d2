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

/** Revoking a device: its sockets close at once with 4403 and its token stops working. */
class RevocationTest {
  @TempDir static Path dir;
  static RunningServer server;
  static String admin;

  @BeforeAll
  static void start() {
    server = RunningServer.start(dir);
    admin = server.token(Role.ADMIN);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String idOf(String token) {
    return server.server().devices().authenticate(token).orElseThrow().id().toString();
  }

  @Test
  void revokingADeviceClosesEachOfItsSocketsWith4403AndItsTokenStopsWorking() {
    String kitchen = server.token(Role.KITCHEN);
    WsClient one = WsClient.authenticated(server.wsUrl(), kitchen);
    one.subscribe("cafe:demo:kitchen");
    WsClient two = WsClient.authenticated(server.wsUrl(), kitchen);
    String bystanderToken = server.token(Role.KITCHEN);
    WsClient bystander = WsClient.authenticated(server.wsUrl(), bystanderToken);

    RunningServer.Reply reply = server.send("DELETE", "/api/devices/" + idOf(kitchen), admin, null, null);

    assertThat(reply.status()).as(reply.raw()).isEqualTo(204);
    assertThat(one.closeCode()).isEqualTo(4403);
    assertThat(two.closeCode()).isEqualTo(4403);
    assertThat(server.get("/api/menu", kitchen).status()).isEqualTo(401);
    WsClient again = WsClient.connect(server.wsUrl());
    again.sendJson("{\"type\":\"auth\",\"token\":\"" + kitchen + "\"}");
    assertThat(again.next("error").get("code").asText()).isEqualTo("unauthorized");
    assertThat(again.closeCode()).isEqualTo(4401);
    bystander.sendJson("{\"type\":\"ping\"}");
    assertThat(bystander.next("pong")).isNotNull();
    bystander.close();
  }

  @Test
  void theDeviceListShowsWhenADeviceWasRevoked() {
    String display = server.token(Role.CUSTOMER_DISPLAY);
    String id = idOf(display);
    server.send("DELETE", "/api/devices/" + id, admin, null, null);

    JsonNode list = server.get("/api/devices", admin).json();

    JsonNode entry = null;
    for (JsonNode d : list) {
      if (d.get("id").asText().equals(id)) {
        entry = d;
      }
    }
    assertThat(entry).isNotNull();
    assertThat(entry.get("revokedAt").isNull()).isFalse();
    assertThat(entry.has("token")).isFalse();
  }

  @Test
  void revokingTwiceIsHarmless() {
    String id = idOf(server.token(Role.KITCHEN));

    assertThat(server.send("DELETE", "/api/devices/" + id, admin, null, null).status()).isEqualTo(204);
    assertThat(server.send("DELETE", "/api/devices/" + id, admin, null, null).status()).isEqualTo(204);
  }

  @Test
  void onlyAnAdminMayRevokeAndNotItself() {
    String cashier = server.token(Role.CASHIER);
    String target = idOf(server.token(Role.KITCHEN));

    assertThat(server.send("DELETE", "/api/devices/" + target, cashier, null, null).status()).isEqualTo(403);
    assertThat(server.send("DELETE", "/api/devices/" + idOf(admin), admin, null, null).status()).isEqualTo(403);
    assertThat(server.send("DELETE", "/api/devices/" + UUID.randomUUID(), admin, null, null).status()).isEqualTo(404);
    assertThat(server.get("/api/menu", admin).status()).isEqualTo(200);
  }

  @Test
  void anotherCafesDeviceIsNotFound() {
    Scene.addCafeLikeDemo(server, "elsewhere");
    String foreign = server.server().devices().create("elsewhere", Role.KITCHEN, "their kitchen").token();

    assertThat(server.send("DELETE", "/api/devices/" + idOf(foreign), admin, null, null).status()).isEqualTo(404);
    assertThat(server.get("/api/menu", foreign).status()).isEqualTo(200);
  }
}
