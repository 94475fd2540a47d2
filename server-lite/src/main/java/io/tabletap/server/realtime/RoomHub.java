package io.tabletap.server.realtime;

import io.tabletap.server.tx.PerTransaction;
import io.tabletap.server.tx.Transactions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rooms, their members and the way events reach them: numbered and stored by the {@link
 * EventLog}, then handed to every member, in sequence order per room.
 *
 * <p>The switch from replay to live is exact. A room's lock is held while an event is numbered,
 * stored and handed out, and while a member joins; a member that joins with {@code since} first
 * takes the room's current number {@code n}, then gets the stored events {@code since < seq <= n}
 * (or a snapshot, when the log no longer reaches back that far) while live events after {@code n}
 * wait in its own buffer; the buffer is flushed under the lock and the member turns live. So every
 * event reaches a member exactly once and in order. Locks are striped (a fixed array), so rooms
 * cost nothing when nobody is in them.
 *
 * <p>Thread-safe. {@link #subscribe} blocks while the replay is written out (paced by the peer's
 * backlog), so call it from the connection's own worker, not from a shared I/O thread.
 */
public final class RoomHub {
  private static final Logger log = LoggerFactory.getLogger(RoomHub.class);
  private static final int STRIPES = 64;
  private static final int PAGE = 200;
  /** Room events are stored last in a transaction, after the audit rows (see CommitHook#stage). */
  public static final int STAGE = 20;
  /** Most rooms one connection may be in. */
  public static final int MAX_ROOMS_PER_PEER = 256;

  private final EventLog eventLog;
  private final SnapshotSource snapshots;
  private final Duration stallLimit;
  private final Duration retention;
  private final int retainedEventsPerCafe;
  private final Clock clock;
  /** The room events of the calling thread's open transaction, stored and sent when it ends. */
  private final PerTransaction<AtCommit> pending;
  private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
  private final Map<RoomKey, Set<Subscription>> members = new ConcurrentHashMap<>();
  private final Map<Peer, Map<RoomKey, Subscription>> byPeer = new ConcurrentHashMap<>();

  /**
   * @param config its {@code silenceLimit} is how long a replay may wait for a peer that reads
   *     nothing before cutting it; {@code retention} and {@code retainedEventsPerCafe} are the
   *     window {@link #prune()} keeps
   */
  public RoomHub(EventLog eventLog, SnapshotSource snapshots, RealtimeConfig config, Clock clock) {
    this(eventLog, snapshots, config, clock, Transactions.NONE);
  }

  /**
   * @param transactions the database's: events published inside a transaction are stored in it
   *     and sent once it committed (docs/decisions/0018)
   */
  public RoomHub(EventLog eventLog, SnapshotSource snapshots, RealtimeConfig config, Clock clock, Transactions transactions) {
    this.pending = new PerTransaction<>(transactions, AtCommit::new);
    this.eventLog = eventLog;
    this.snapshots = snapshots;
    this.stallLimit = config.silenceLimit();
    this.retention = config.retention();
    this.retainedEventsPerCafe = config.retainedEventsPerCafe();
    this.clock = clock;
    for (int i = 0; i < STRIPES; i++) {
      stripes[i] = new ReentrantLock();
    }
  }

  /** How a subscribe went. */
  public enum Joined { LIVE, REPLAYED, SNAPSHOT, CUT }

  private enum State { CATCHING_UP, LIVE }

  private static final class Subscription {
    final Peer peer;
    final RoomKey room;
    State state;
    final ArrayDeque<String> pending = new ArrayDeque<>();

    Subscription(Peer peer, RoomKey room, State state) {
      this.peer = peer;
      this.room = room;
      this.state = state;
    }

    /** Called with the room's lock held. */
    void deliver(String frame) {
      if (state == State.LIVE) {
        peer.send(frame);
      } else if (pending.size() >= peer.capacity()) {
        peer.fallBehind();
      } else {
        pending.add(frame);
      }
    }
  }

  /**
   * Numbers, stores and delivers {@code events}.
   *
   * <p>Inside a database transaction of the calling thread, they are stored as that transaction's
   * last writes, so they commit with the change they report or not at all, and they are sent only
   * after the commit: a client never hears of a change that was rolled back, and a change that
   * committed always has its events in the log. Every publish of one transaction is stored and
   * sent together. Without a transaction they are stored in one of their own and sent at once.
   *
   * @throws io.tabletap.server.store.StoreException (or another runtime exception) if the log
   *     could not store them; then nothing was delivered (in a transaction: it rolls back)
   */
  public void publish(List<RoomEvent> events) {
    if (events.isEmpty()) {
      return;
    }
    pending.current().ifPresentOrElse(batch -> batch.addAll(events), () -> {
      AtCommit now = new AtCommit();
      now.addAll(events);
      Transactions.runNow(now);
    });
  }

  /**
   * One batch of room events: numbered and stored with the rooms' locks held (before the commit,
   * in the transaction), handed to the members after it, then the locks are let go. Holding them
   * across the commit keeps each room's delivery order the order of its numbers.
   */
  private final class AtCommit extends PerTransaction.Batch<RoomEvent> {
    private final List<ReentrantLock> held = new ArrayList<>();
    private List<LoggedEvent> logged = List.of();

    @Override
    public int stage() {
      return STAGE;
    }

    @Override
    public void beforeCommit() {
      TreeSet<Integer> needed = new TreeSet<>();
      items.forEach(e -> needed.add(stripe(e.room())));
      for (int index : needed) {
        stripes[index].lock();
        held.add(stripes[index]);
      }
      logged = eventLog.append(items);
    }

    @Override
    public void afterCommit() {
      try {
        eventLog.committed(logged);
        // each live member's frames of this batch go out as one write, in order
        Map<Peer, List<String>> live = new LinkedHashMap<>();
        for (LoggedEvent event : logged) {
          Set<Subscription> in = members.get(event.room());
          if (in != null && !in.isEmpty()) {
            String frame = Frames.event(event);
            for (Subscription s : List.copyOf(in)) {
              if (s.state == State.LIVE) {
                live.computeIfAbsent(s.peer, p -> new ArrayList<>()).add(frame);
              } else {
                s.deliver(frame);
              }
            }
          }
        }
        // peers in the same rooms get the same frames: one batch, encoded once for all of them
        Map<List<String>, FrameBatch> alike = new HashMap<>();
        live.forEach((peer, frames) -> peer.sendAll(alike.computeIfAbsent(frames, FrameBatch::new)));
      } finally {
        unlock();
      }
    }

    @Override
    public void afterRollback() {
      unlock();
    }

    private void unlock() {
      for (int i = held.size() - 1; i >= 0; i--) {
        held.get(i).unlock();
      }
      held.clear();
    }
  }

  /**
   * Makes {@code peer} a member of {@code room}: sends {@code subscribed} with the room's current
   * number, then (with {@code since}) what it missed or a snapshot, then live events. Joining a
   * room again replaces the earlier membership.
   *
   * @param since the last sequence number the client has, or null for live events only
   * @throws TooManyRoomsException if the peer is in {@link #MAX_ROOMS_PER_PEER} rooms already
   */
  public Joined subscribe(Peer peer, RoomKey room, Long since) {
    Map<RoomKey, Subscription> mine = byPeer.computeIfAbsent(peer, p -> new ConcurrentHashMap<>());
    if (!mine.containsKey(room) && mine.size() >= MAX_ROOMS_PER_PEER) {
      throw new TooManyRoomsException();
    }
    ReentrantLock lock = stripes[stripe(room)];
    Subscription subscription;
    long upTo;
    boolean snapshot;
    lock.lock();
    try {
      remove(mine.remove(room));
      EventLog.Position position = eventLog.position(room);
      upTo = position.lastSeq();
      snapshot = since != null && (since < position.prunedThrough() || since > upTo);
      boolean live = since == null || since == upTo;
      subscription = new Subscription(peer, room, live ? State.LIVE : State.CATCHING_UP);
      members.computeIfAbsent(room, r -> new LinkedHashSet<>()).add(subscription);
      mine.put(room, subscription);
      if (!peer.send(Frames.subscribed(room.room(), upTo)) || !peer.isOpen()) {
        remove(mine.remove(room));
        return Joined.CUT;
      }
      if (live) {
        return Joined.LIVE;
      }
    } finally {
      lock.unlock();
    }
    boolean sent = snapshot ? sendSnapshot(peer, room, upTo) : replay(peer, room, since, upTo);
    boolean replayed = sent && !snapshot;
    if (!sent && peer.isOpen() && !snapshot) {
      // The log lost events between our position and now (pruned meanwhile): fall back.
      sent = sendSnapshot(peer, room, upTo);
    }
    lock.lock();
    try {
      if (!sent || !peer.isOpen()) {
        remove(mine.remove(room));
        return Joined.CUT;
      }
      for (String frame : subscription.pending) {
        if (!peer.send(frame)) {
          remove(mine.remove(room));
          return Joined.CUT;
        }
      }
      subscription.pending.clear();
      subscription.state = State.LIVE;
      return replayed ? Joined.REPLAYED : Joined.SNAPSHOT;
    } finally {
      lock.unlock();
    }
  }

  /** Writes events {@code since < seq <= upTo}; false if one is missing or the peer is gone. */
  private boolean replay(Peer peer, RoomKey room, long since, long upTo) {
    long next = since + 1;
    while (next <= upTo) {
      List<LoggedEvent> page = eventLog.read(room, next - 1, upTo, Math.max(1, Math.min(PAGE, peer.capacity() / 2)));
      if (page.isEmpty()) {
        return false;
      }
      for (LoggedEvent event : page) {
        if (event.seq() != next) {
          log.info("Replay of {} found {} where {} was expected: sending a snapshot", room, event.seq(), next);
          return false;
        }
        if (!awaitRoom(peer) || !peer.send(Frames.event(event))) {
          return false;
        }
        next++;
      }
    }
    return true;
  }

  private boolean sendSnapshot(Peer peer, RoomKey room, long seq) {
    return awaitRoom(peer) && peer.send(Frames.snapshot(room.room(), seq, snapshots.state(room)));
  }

  /**
   * Waits until the peer has room for more (its backlog under half its capacity). A peer that
   * reads nothing for the stall limit is cut. Polls: the socket library has no "drained" signal.
   */
  private boolean awaitRoom(Peer peer) {
    long deadline = System.nanoTime() + stallLimit.toNanos();
    while (peer.isOpen() && peer.backlog() >= peer.capacity() / 2) {
      if (System.nanoTime() > deadline) {
        peer.fallBehind();
        return false;
      }
      LockSupport.parkNanos(1_000_000);
    }
    return peer.isOpen();
  }

  /** Leaves one room; false if the peer was not in it. */
  public boolean unsubscribe(Peer peer, RoomKey room) {
    Map<RoomKey, Subscription> mine = byPeer.get(peer);
    if (mine == null) {
      return false;
    }
    ReentrantLock lock = stripes[stripe(room)];
    lock.lock();
    try {
      Subscription s = mine.remove(room);
      remove(s);
      return s != null;
    } finally {
      lock.unlock();
    }
  }

  /** Leaves every room: the peer is gone. Harmless to call twice. */
  public void drop(Peer peer) {
    Map<RoomKey, Subscription> mine = byPeer.remove(peer);
    if (mine == null) {
      return;
    }
    for (RoomKey room : List.copyOf(mine.keySet())) {
      ReentrantLock lock = stripes[stripe(room)];
      lock.lock();
      try {
        remove(mine.remove(room));
      } finally {
        lock.unlock();
      }
    }
  }

  /** How many connections are in {@code room} now. */
  public int memberCount(RoomKey room) {
    Set<Subscription> in = members.get(room);
    return in == null ? 0 : in.size();
  }

  /** The rooms {@code peer} is in. */
  public Set<RoomKey> roomsOf(Peer peer) {
    Map<RoomKey, Subscription> mine = byPeer.get(peer);
    return mine == null ? Set.of() : Set.copyOf(mine.keySet());
  }

  /**
   * Deletes the events outside the window: older than the retention and not among the newest
   * {@code retainedEventsPerCafe} of their cafe. A client resuming from before them gets a
   * snapshot. Returns how many were deleted.
   */
  public int prune() {
    return eventLog.prune(clock.instant().minus(retention), retainedEventsPerCafe);
  }

  /** Called with the subscription's room lock held. */
  private void remove(Subscription s) {
    if (s == null) {
      return;
    }
    members.computeIfPresent(s.room, (room, set) -> {
      set.remove(s);
      return set.isEmpty() ? null : set;
    });
  }

  private static int stripe(RoomKey room) {
    return Math.floorMod(room.hashCode(), STRIPES);
  }

  /** A connection asked for more rooms than {@link #MAX_ROOMS_PER_PEER}. */
  public static final class TooManyRoomsException extends RuntimeException {
    TooManyRoomsException() {
      super("A connection may be in at most " + MAX_ROOMS_PER_PEER + " rooms", null, false, false);
    }
  }
}
