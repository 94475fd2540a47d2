package io.tabletap.server.realtime;

import java.time.Instant;
import java.util.List;

/**
 * The durable log of room events. Each room's sequence starts at 1, grows by one per event and
 * is never reused, also across restarts and pruning.
 */
public interface EventLog {

  /**
   * Numbers and stores {@code events} in one transaction: all of them or none. Callers hold the
   * rooms' locks ({@link RoomHub}), so numbers are taken in the order events are delivered. Inside
   * a caller's transaction, the caller tells {@link #committed} once it committed, before letting
   * the locks go (the next append numbers on from there); in a transaction of its own, it does.
   */
  List<LoggedEvent> append(List<RoomEvent> events);

  /** The transaction that appended {@code events} committed. */
  default void committed(List<LoggedEvent> events) {}

  /** Where a room stands: its last sequence number and the last one pruned away (0 if none). */
  record Position(long lastSeq, long prunedThrough) {}

  Position position(RoomKey room);

  /** Up to {@code limit} events of a room with {@code after < seq <= upTo}, in order. */
  List<LoggedEvent> read(RoomKey room, long after, long upTo, int limit);

  /** The newest {@code limit} events of a room, oldest first. */
  List<LoggedEvent> latest(RoomKey room, int limit);

  /**
   * Deletes what no client may still ask for: events older than {@code cutoff} that are not among
   * the newest {@code keepPerCafe} of their cafe. Returns how many were deleted.
   */
  int prune(Instant cutoff, int keepPerCafe);
}
