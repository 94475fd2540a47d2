package io.tabletap.server.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.tabletap.server.json.Json;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Measured preparation times of one cafe: from the moment an order was started (or, if it never
 * was, paid) to the moment it was READY, over the last {@link #WINDOW} orders. Not thread-safe:
 * the state manager holds the cafe's lock.
 */
final class PreparationTimes {
  static final int WINDOW = 20;
  static final Duration DEFAULT = Duration.ofMinutes(5);

  private final Map<UUID, Instant> started = new HashMap<>();
  private final ArrayDeque<Duration> measured = new ArrayDeque<>();

  /** Rebuilt from the kitchen room's {@code order_state_changed} events in the log. */
  static PreparationTimes from(List<LoggedEvent> kitchenEvents) {
    PreparationTimes times = new PreparationTimes();
    for (LoggedEvent e : kitchenEvents) {
      if (!RealtimeEvents.ORDER_STATE_CHANGED.equals(e.event())) {
        continue;
      }
      try {
        JsonNode data = Json.mapper().readTree(e.dataJson());
        times.moved(UUID.fromString(data.path("orderId").asText()), data.path("status").asText(), e.at());
      } catch (IOException | IllegalArgumentException ignored) {
        // an event of another shape: not a measurement
      }
    }
    return times;
  }

  void moved(UUID orderId, String status, Instant at) {
    switch (status) {
      case "PAID" -> started.putIfAbsent(orderId, at);
      case "IN_PREPARATION" -> started.put(orderId, at);
      case "READY" -> {
        Instant start = started.remove(orderId);
        if (start != null && !at.isBefore(start)) {
          measured.addLast(Duration.between(start, at));
          if (measured.size() > WINDOW) {
            measured.removeFirst();
          }
        }
      }
      default -> started.remove(orderId);
    }
  }

  /** The mean of the measurements, or {@link #DEFAULT} before the first one. */
  Duration average() {
    if (measured.isEmpty()) {
      return DEFAULT;
    }
    long total = measured.stream().mapToLong(Duration::toMillis).sum();
    return Duration.ofMillis(total / measured.size());
  }
}
