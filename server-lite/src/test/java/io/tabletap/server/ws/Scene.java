package io.tabletap.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.tabletap.server.domain.Cafe;
import io.tabletap.server.domain.Menu;
import io.tabletap.server.menu.DemoCafe;
import io.tabletap.server.store.Database;
import io.tabletap.server.store.JdbcCafeStore;
import io.tabletap.server.store.JdbcMenuStore;
import io.tabletap.server.testing.RunningServer;
import io.tabletap.server.testing.RunningServer.Reply;

/** The few HTTP calls the real-time tests need to make things happen. */
final class Scene {
  static final String ONE_ESPRESSO = "{\"type\":\"TAKEAWAY\",\"lines\":[{\"itemId\":\"espresso\",\"quantity\":1}]}";

  private Scene() {}

  /** Adds a cafe like the demo one (same menu) through a second handle on the server's database. */
  static void addCafeLikeDemo(RunningServer server, String cafeId) {
    try (Database db = Database.open(server.dataDir, 2)) {
      Cafe demo = DemoCafe.cafe();
      Menu menu = DemoCafe.menu();
      new JdbcCafeStore(db).insert(new Cafe(cafeId, "Cafe " + cafeId, demo.currency(), demo.taxPolicy(), demo.zone(),
          demo.businessDayStart()));
      new JdbcMenuStore(db).replace(new Menu(cafeId, menu.categories(), menu.modifierGroups()));
    }
  }

  /** Places an espresso order; returns its id. */
  static String order(RunningServer server, String token) {
    Reply reply = server.postJson("/api/orders", token, ONE_ESPRESSO);
    assertThat(reply.status()).as(reply.raw()).isEqualTo(201);
    return reply.json().get("id").asText();
  }

  /** Pays an order in cash (enough for an espresso); returns the payment id. */
  static String payCash(RunningServer server, String token, String orderId) {
    Reply reply = server.postJson("/api/orders/" + orderId + "/payments", token, "{\"method\":\"CASH\",\"tendered\":1000}");
    assertThat(reply.status()).as(reply.raw()).isEqualTo(201);
    assertThat(reply.json().get("status").asText()).isEqualTo("COMPLETED");
    return reply.json().get("id").asText();
  }

  static void move(RunningServer server, String token, String orderId, String to) {
    Reply reply = server.postJson("/api/orders/" + orderId + "/transitions", token, "{\"to\":\"" + to + "\"}");
    assertThat(reply.status()).as(reply.raw()).isEqualTo(200);
  }
}
