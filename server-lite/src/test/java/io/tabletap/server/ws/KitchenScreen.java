package io.tabletap.server.ws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tabletap.server.json.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A kitchen screen as docs/protocol.md tells a client to build one: a snapshot of {@code
 * cafe:{id}:kitchen}, then each {@code kitchen_display_updated} applied to it. Written from the
 * protocol text only, to prove that text is enough.
 */
final class KitchenScreen {
  private static final Comparator<JsonNode> QUEUE_ORDER = Comparator
      .comparingInt((JsonNode o) -> "IN_PREPARATION".equals(o.get("status").asText()) ? 0 : 1)
      .thenComparing((JsonNode o) -> Instant.parse(o.get("queuedAt").asText()))
      .thenComparingInt(o -> o.get("orderNumber").asInt())
      .thenComparing(o -> o.get("orderId").asText());

  private final ObjectNode state;
  private int countsDiffered;

  /** @param snapshot the {@code state} of a kitchen room snapshot */
  KitchenScreen(JsonNode snapshot) {
    this.state = snapshot.deepCopy();
  }

  /** Applies one {@code kitchen_display_updated} {@code data}: the whole display, or one order's change. */
  void apply(JsonNode delta) {
    if (delta.has("activeOrders")) {
      state.removeAll();
      state.setAll((ObjectNode) delta.deepCopy());
      return;
    }
    String id = delta.get("orderId").asText();
    String status = delta.get("status").asText();
    List<JsonNode> active = new ArrayList<>();
    state.get("activeOrders").forEach(o -> {
      if (!o.get("orderId").asText().equals(id)) {
        active.add(o);
      }
    });
    ArrayNode completed = (ArrayNode) state.get("completedOrders");
    int at = indexOf(completed, id);
    switch (status) {
      case "PAID", "IN_PREPARATION" -> {
        active.add(delta.get("order").deepCopy());
        if (at >= 0) {
          completed.remove(at);
        }
      }
      case "READY" -> {
        if (at < 0) {
          completed.add(id);
        }
      }
      default -> {
        if (at >= 0) {
          completed.remove(at);
        }
      }
    }
    active.sort(QUEUE_ORDER);
    long average = delta.get("averagePreparationTime").asLong();
    ArrayNode shown = state.putArray("activeOrders");
    for (int i = 0; i < active.size(); i++) {
      ObjectNode o = (ObjectNode) active.get(i);
      o.put("queuePosition", i + 1);
      o.put("estimatedWaitTime", (long) Math.ceil((i + 1) / 2.0) * average);
      shown.add(o);
    }
    state.put("averagePreparationTime", average);
    state.set("currentLoad", delta.get("currentLoad"));
    state.set("lastUpdated", delta.get("lastUpdated"));
    if (shown.size() != delta.get("activeCount").asInt() || completed.size() != delta.get("completedCount").asInt()) {
      countsDiffered++;
    }
  }

  /**
   * How many deltas left this screen with other counts than they carry: a screen that missed one
   * (or one applying deltas its snapshot already reflected) sees that.
   */
  int countsDiffered() {
    return countsDiffered;
  }

  void applyAll(List<JsonNode> deltas) {
    deltas.forEach(this::apply);
  }

  /** The display, read back from its JSON text (so numbers compare as a parsed snapshot's do). */
  JsonNode state() {
    try {
      return Json.mapper().readTree(state.toString());
    } catch (JsonProcessingException e) {
      throw new AssertionError(e);
    }
  }

  private static int indexOf(ArrayNode ids, String id) {
    for (int i = 0; i < ids.size(); i++) {
      if (ids.get(i).asText().equals(id)) {
        return i;
      }
    }
    return -1;
  }
}
