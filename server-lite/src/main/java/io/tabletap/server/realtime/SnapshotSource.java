package io.tabletap.server.realtime;

/**
 * The current state of a room, sent as a {@code snapshot} to a client that asks to resume from
 * further back than the log reaches. The state is at least as new as the sequence number it is
 * sent with; events after that number follow it.
 */
@FunctionalInterface
public interface SnapshotSource {
  /** A value Jackson can write: a record, a map, a list. */
  Object state(RoomKey room);
}
