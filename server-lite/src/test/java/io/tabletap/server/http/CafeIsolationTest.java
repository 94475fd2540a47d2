package io.tabletap.server.http;

import static io.tabletap.server.http.ApiAssertions.assertPlainError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tabletap.server.device.Role;
import io.tabletap.server.testing.RunningServer;
import io.tabletap.server.testing.RunningServer.Reply;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A device only sees, and only moves, its own cafe's orders. */
class CafeIsolationTest {
  @TempDir static Path dir;
  static RunningServer server;
  static DatabaseProbe db;
  static String demoCashier;
  static String demoAdmin;
  static String otherAdmin;
  static String otherCashier;

  @BeforeAll
  static void start() {
    server = RunningServer.start(dir);
    db = DatabaseProbe.open(dir);
    db.addCafeLikeDemo("other");
    demoCashier = server.token(Role.CASHIER);
    demoAdmin = server.token(Role.ADMIN);
    otherAdmin = server.server().devices().create("other", Role.ADMIN, "other admin").token();
    otherCashier = server.server().devices().create("other", Role.CASHIER, "other till").token();
  }

  @AfterAll
  static void stop() {
    db.close();
    server.close();
  }

  @Test
  void anotherCafesDeviceCannotReadAnOrder() {
    String id = Orders.place(server, demoCashier, Orders.ONE_ESPRESSO).get("id").asText();

    assertPlainError(server.get("/api/orders/" + id, otherAdmin), 404, "not_found");
  }

  @Test
  void anotherCafesOrdersAreNotListed() {
    String demoOrder = Orders.place(server, demoCashier, Orders.ONE_ESPRESSO).get("id").asText();
    String otherOrder = Orders.place(server, otherCashier, Orders.ONE_ESPRESSO).get("id").asText();

    List<String> seenByOther = ids(server.get("/api/orders?limit=500", otherAdmin));
    List<String> seenByDemo = ids(server.get("/api/orders?limit=500", demoAdmin));

    assertThat(seenByOther).contains(otherOrder).doesNotContain(demoOrder);
    assertThat(seenByDemo).contains(demoOrder).doesNotContain(otherOrder);
    assertThat(server.get("/api/orders?limit=500", otherAdmin).json())
        .allSatisfy(order -> assertThat(order.get("cafeId").asText()).isEqualTo("other"));
  }

  @Test
  void anotherCafesDeviceCannotMoveAnOrder() {
    String id = Orders.place(server, demoCashier, Orders.ONE_ESPRESSO).get("id").asText();
    Map<String, List<String>> before = db.orderTables();

    assertPlainError(Orders.move(server, otherAdmin, id, "PAYMENT_PENDING"), 404, "not_found");
    assertPlainError(Orders.move(server, otherAdmin, id, "CANCELLED"), 404, "not_found");

    assertThat(db.orderTables()).isEqualTo(before);
    assertThat(Orders.statusOf(server, demoCashier, id)).isEqualTo("CREATED");
  }

  @Test
  void anotherCafeReusingAnOrderIdGetsAConflictNotTheOrder() {
    UUID id = UUID.randomUUID();
    String body = "{\"id\":\"" + id + "\",\"type\":\"DINE_IN\",\"table\":\"12\",\"lines\":[{\"itemId\":\"espresso\",\"quantity\":1}]}";
    Orders.place(server, demoCashier, body);
    Map<String, List<String>> before = db.orderTables();

    Reply reply = server.postJson("/api/orders", otherCashier, body);

    assertPlainError(reply, 409, "order_exists");
    assertThat(reply.raw()).doesNotContain("\"demo\"").doesNotContain("orderNumber");
    assertThat(db.orderTables()).isEqualTo(before);
    assertPlainError(server.get("/api/orders/" + id, otherCashier), 404, "not_found");
  }

  @Test
  void anIdempotencyKeyBelongsToOneCafe() {
    String key = "shared-key-" + UUID.randomUUID();

    Reply demo = server.postJson("/api/orders", demoCashier, Orders.ONE_ESPRESSO, Map.of("Idempotency-Key", key));
    Reply other = server.postJson("/api/orders", otherCashier, Orders.ONE_ESPRESSO, Map.of("Idempotency-Key", key));

    assertThat(demo.status()).isEqualTo(201);
    assertThat(other.status()).as(other.raw()).isEqualTo(201);
    assertThat(other.json().get("id")).isNotEqualTo(demo.json().get("id"));
    assertThat(other.json().get("cafeId").asText()).isEqualTo("other");
  }

  @Test
  void eachCafeReadsItsOwnMenu() {
    JsonNode menu = server.get("/api/menu", otherCashier).json();

    assertThat(menu.get("cafeId").asText()).isEqualTo("other");
  }

  private static List<String> ids(Reply reply) {
    assertThat(reply.status()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    reply.json().forEach(order -> ids.add(order.get("id").asText()));
    return ids;
  }
}
