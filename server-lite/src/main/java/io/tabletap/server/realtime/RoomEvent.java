package io.tabletap.server.realtime;

import java.time.Instant;
import java.util.Objects;

/**
 * An event to publish to one room.
 *
 * @param event a stable name from docs/protocol.md, such as {@code new_paid_order}
 * @param data what Jackson writes as the event's {@code data}: a record or a map
 */
public record RoomEvent(RoomKey room, String event, Object data, Instant at) {
  public RoomEvent {
    Objects.requireNonNull(room, "room");
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(at, "at");
  }
}
