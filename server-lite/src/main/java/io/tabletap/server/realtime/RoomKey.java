package io.tabletap.server.realtime;

import java.util.Objects;

/**
 * A room as the server keeps it: its name within one cafe. Every room, {@code order:{id}} and
 * {@code flow:{id}} too, belongs to exactly one cafe, so a device can only ever reach rooms of its
 * own cafe, whatever name it asks for. Sequence numbers count per key.
 */
public record RoomKey(String cafeId, String room) implements Comparable<RoomKey> {
  public RoomKey {
    Objects.requireNonNull(cafeId, "cafeId");
    Objects.requireNonNull(room, "room");
  }

  @Override
  public int compareTo(RoomKey other) {
    int byCafe = cafeId.compareTo(other.cafeId);
    return byCafe != 0 ? byCafe : room.compareTo(other.room);
  }
}
