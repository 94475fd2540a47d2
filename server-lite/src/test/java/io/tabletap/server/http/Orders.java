package io.tabletap.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tabletap.server.testing.RunningServer;
import io.tabletap.server.testing.RunningServer.Reply;
import java.util.List;
import java.util.Map;

/** Order bodies and the few calls most tests need to set the scene. */
final class Orders {
  /** The smallest valid order: one espresso to take away (350 cents). */
  static final String ONE_ESPRESSO = takeaway("{\"itemId\":\"espresso\",\"quantity\":1}");

  /** The way from CREATED to each status, one admin transition at a time. */
  private static final Map<String, List<String>> PATHS = Map.of(
      "CREATED", List.of(),
      "PAYMENT_PENDING", List.of("PAYMENT_PENDING"),
      "PAID", List.of("PAYMENT_PENDING", "PAID"),
      "IN_PREPARATION", List.of("PAYMENT_PENDING", "PAID", "IN_PREPARATION"),
      "READY", List.of("PAYMENT_PENDING", "PAID", "IN_PREPARATION", "READY"),
      "COMPLETED", List.of("PAYMENT_PENDING", "PAID", "IN_PREPARATION", "READY", "COMPLETED"),
      "CANCELLED", List.of("CANCELLED"));

  private Orders() {}

  /** A TAKEAWAY order with these lines (each a JSON object). */
  static String takeaway(String... lines) {
    return "{\"type\":\"TAKEAWAY\",\"lines\":[" + String.join(",", lines) + "]}";
  }

  /** One order line as JSON: {@code {"itemId":…,"quantity":…,"options":[…]}}. */
  static String line(String itemId, int quantity, String... options) {
    String opts = options.length == 0 ? "" : ",\"options\":[\"" + String.join("\",\"", options) + "\"]";
    return "{\"itemId\":\"" + itemId + "\",\"quantity\":" + quantity + opts + "}";
  }

  /** Places {@code body} and insists on a 201. */
  static JsonNode place(RunningServer server, String token, String body) {
    Reply reply = server.postJson("/api/orders", token, body);
    assertThat(reply.status()).as(reply.raw()).isEqualTo(201);
    return reply.json();
  }

  static Reply move(RunningServer server, String token, String orderId, String to) {
    return server.postJson("/api/orders/" + orderId + "/transitions", token, "{\"to\":\"" + to + "\"}");
  }

  /** An espresso order moved (by {@code adminToken}) into {@code status}; returns its id. */
  static String orderIn(RunningServer server, String adminToken, String status) {
    String id = place(server, adminToken, ONE_ESPRESSO).get("id").asText();
    for (String step : PATHS.get(status)) {
      Reply reply = move(server, adminToken, id, step);
      assertThat(reply.status()).as(reply.raw()).isEqualTo(200);
    }
    return id;
  }

  static String statusOf(RunningServer server, String token, String orderId) {
    Reply reply = server.get("/api/orders/" + orderId, token);
    assertThat(reply.status()).as(reply.raw()).isEqualTo(200);
    return reply.json().get("status").asText();
  }
}
