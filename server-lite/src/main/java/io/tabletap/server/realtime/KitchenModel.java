package io.tabletap.server.realtime;

import io.tabletap.server.domain.Order;
import io.tabletap.server.domain.OrderStatus;
import io.tabletap.server.realtime.States.KitchenDisplayChange;
import io.tabletap.server.realtime.States.KitchenDisplayState;
import io.tabletap.server.realtime.States.KitchenOrder;
import io.tabletap.server.realtime.States.QueuePosition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * One cafe's kitchen display, kept in memory and changed one order at a time (decision 0017).
 *
 * <p>The queue is an array sorted by {@link #QUEUE_ORDER}, so an order's position is its index
 * plus one. A change finds its place by binary search and shifts only the orders behind it: the
 * work is O(log n) plus the number of orders whose position changed, and each of those is
 * announced with {@code queue_position_updated} anyway. A paid order joins at the end of the
 * queue, whenever it was taken, and so moves nobody (decision 0028).
 *
 * <p>Not thread-safe: {@link RealTimeStateManager} holds the cafe's lock around every call.
 */
final class KitchenModel {
  /** Orders cooked at once, for the wait estimate. */
  static final int PARALLELISM = RealTimeStateManager.KITCHEN_PARALLELISM;
  /** Orders that left the display, remembered so that a late event cannot bring one back. */
  static final int DEPARTED_REMEMBERED = 1_000;
  private static final Set<OrderStatus> QUEUED = Set.of(OrderStatus.PAID, OrderStatus.IN_PREPARATION);

  /**
   * IN_PREPARATION first, then PAID; each by when it took that status, so the first paid is the
   * first cooked (then by order number, then by id, so no two orders tie). docs/protocol.md
   * states the same rule for clients (decision 0028).
   */
  static final Comparator<Entry> QUEUE_ORDER = Comparator
      .comparingInt((Entry e) -> e.status == OrderStatus.IN_PREPARATION ? 0 : 1)
      .thenComparing((Entry e) -> e.queuedAt)
      .thenComparingInt(e -> e.orderNumber)
      .thenComparing(e -> e.orderId.toString());

  /** An order in the queue: what the screen shows of it, and the position it was last told. */
  static final class Entry {
    final UUID orderId;
    final int orderNumber;
    final OrderStatus status;
    final String type;
    final String table;
    final List<Views.Item> items;
    final Instant createdAt;
    /** When the order took its status (an order's {@code updatedAt} moves with its status only). */
    final Instant queuedAt;
    QueuePosition announced;

    Entry(Order o) {
      this.orderId = o.id();
      this.orderNumber = o.orderNumber();
      this.status = o.status();
      this.type = o.type().name();
      this.table = o.table();
      this.items = Views.items(o);
      this.createdAt = o.createdAt();
      this.queuedAt = o.updatedAt();
    }
  }

  /** What one change did: the kitchen room's delta, and the orders whose position changed. */
  record Change(KitchenDisplayChange delta, List<QueuePosition> moved) {}

  private final String cafeId;
  private final PreparationTimes times;
  private final List<Entry> queue = new ArrayList<>();
  private final Map<UUID, Entry> queued = new HashMap<>();
  /** READY orders, in the order they became READY. */
  private final Set<UUID> ready = new LinkedHashSet<>();
  private final Map<UUID, OrderStatus> departed = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<UUID, OrderStatus> eldest) {
      return size() > DEPARTED_REMEMBERED;
    }
  };
  private Instant lastUpdated;
  private Instant checkedAt;
  /** The display as last built; null after a change. */
  private KitchenDisplayState shown;

  private KitchenModel(String cafeId, PreparationTimes times) {
    this.cafeId = cafeId;
    this.times = times;
  }

  /**
   * The display as the database has it: {@code orders} are the cafe's PAID, IN_PREPARATION and
   * READY orders (READY ones oldest change first, as they became READY). Announces nothing now; an
   * order is told its position the next time a change reaches it (the event that made the model
   * load is one: its order may never have been told).
   */
  static KitchenModel load(String cafeId, List<Order> orders, PreparationTimes times, Instant now) {
    KitchenModel model = new KitchenModel(cafeId, times);
    List<Order> sorted = new ArrayList<>(orders);
    sorted.sort(Comparator.comparing(Order::updatedAt).thenComparing(o -> o.id().toString()));
    for (Order o : sorted) {
      if (QUEUED.contains(o.status())) {
        Entry e = new Entry(o);
        model.queue.add(e);
        model.queued.put(o.id(), e);
      } else if (o.status() == OrderStatus.READY) {
        model.ready.add(o.id());
      }
    }
    model.queue.sort(QUEUE_ORDER);
    model.lastUpdated = now;
    model.checkedAt = now;
    return model;
  }

  static long waitSeconds(int position, long averageSeconds) {
    return (long) Math.ceil(position / (double) PARALLELISM) * averageSeconds;
  }

  /**
   * Follows an order event: {@code o} is the order after its move, at {@code at}. Returns null for
   * an event older than what the model knows of the order (events of one order can reach here out
   * of order when two threads changed it moments apart). An event that changes nothing the model
   * knows (the model was loaded after its change) still gives a delta: clients may not have it.
   */
  Change follow(Order o, Instant at) {
    OrderStatus known = knownStatus(o.id());
    if (known != null && known.ordinal() > o.status().ordinal()) {
      return null;
    }
    times.moved(o.id(), o.status().name(), at);
    return move(o, at);
  }

  /**
   * Brings the model to what the database says, with a delta for each difference (normally none:
   * one means an event never reached the model, e.g. its room events failed to store).
   *
   * @param truth the cafe's PAID, IN_PREPARATION and READY orders now
   * @param current an order as it is now, for those that left the display unseen
   */
  List<Change> reconcile(List<Order> truth, Function<UUID, Optional<Order>> current, Instant now) {
    Map<UUID, Order> byId = new HashMap<>();
    truth.forEach(o -> byId.put(o.id(), o));
    List<Change> out = new ArrayList<>();
    List<UUID> shownIds = new ArrayList<>(queued.keySet());
    shownIds.addAll(ready);
    for (UUID id : shownIds) {
      if (!byId.containsKey(id)) {
        current.apply(id).ifPresent(o -> out.add(move(o, now)));
      }
    }
    List<Order> changed = new ArrayList<>();
    for (Order o : byId.values()) {
      if (knownStatus(o.id()) != o.status()) {
        changed.add(o);
      }
    }
    changed.sort(Comparator.comparing(Order::updatedAt).thenComparing(o -> o.id().toString()));
    changed.forEach(o -> out.add(move(o, now)));
    checkedAt = now;
    return out;
  }

  /** Puts {@code o} where its status says: in the queue, among the READY ones, or nowhere. */
  private Change move(Order o, Instant at) {
    int from = -1;
    Entry old = queued.remove(o.id());
    if (old != null) {
      from = Collections.binarySearch(queue, old, QUEUE_ORDER);
      queue.remove(from);
    }
    int to = -1;
    Entry entry = null;
    if (QUEUED.contains(o.status())) {
      entry = new Entry(o);
      entry.announced = old == null ? null : old.announced;
      to = -Collections.binarySearch(queue, entry, QUEUE_ORDER) - 1;
      queue.add(to, entry);
      queued.put(o.id(), entry);
      ready.remove(o.id());
    } else if (o.status() == OrderStatus.READY) {
      ready.add(o.id()); // kept in place if it was there already
    } else {
      ready.remove(o.id());
      departed.put(o.id(), o.status());
    }
    lastUpdated = at;
    shown = null;
    long average = averageSeconds();
    List<QueuePosition> moved = announce(from, to, at, average);
    KitchenOrder shownOrder = entry == null ? null : kitchenOrder(entry, to + 1, average);
    KitchenDisplayChange delta = new KitchenDisplayChange(cafeId, o.id(), o.orderNumber(), o.status().name(), shownOrder,
        queue.size(), ready.size(), average, load(), at);
    return new Change(delta, moved);
  }

  /**
   * The orders whose position differs from the one they were last told, among those a removal at
   * {@code from} and an insertion at {@code to} can have moved (-1: none); records the new ones.
   */
  private List<QueuePosition> announce(int from, int to, Instant at, long average) {
    if (from < 0 && to < 0) {
      return List.of();
    }
    int lo = from < 0 ? to : to < 0 ? from : Math.min(from, to);
    int hi = from >= 0 && to >= 0 ? Math.max(from, to) : queue.size() - 1;
    List<QueuePosition> out = new ArrayList<>();
    for (int i = lo; i <= Math.min(hi, queue.size() - 1); i++) {
      Entry e = queue.get(i);
      int position = i + 1;
      if (e.announced == null || e.announced.position() != position) {
        long wait = waitSeconds(position, average);
        e.announced = new QueuePosition(e.orderId, e.orderNumber, position, wait, at.plusSeconds(wait));
        out.add(e.announced);
      }
    }
    return out;
  }

  private OrderStatus knownStatus(UUID orderId) {
    Entry e = queued.get(orderId);
    if (e != null) {
      return e.status;
    }
    return ready.contains(orderId) ? OrderStatus.READY : departed.get(orderId);
  }

  /** Where the order is in the queue, as it was last told (or as of {@code now}, if never told); empty if not in it. */
  Optional<QueuePosition> position(UUID orderId, Instant now) {
    Entry e = queued.get(orderId);
    if (e == null) {
      return Optional.empty();
    }
    if (e.announced != null) {
      return Optional.of(e.announced);
    }
    int position = Collections.binarySearch(queue, e, QUEUE_ORDER) + 1;
    long wait = waitSeconds(position, averageSeconds());
    return Optional.of(new QueuePosition(e.orderId, e.orderNumber, position, wait, now.plusSeconds(wait)));
  }

  KitchenDisplayState display() {
    if (shown == null) {
      long average = averageSeconds();
      List<KitchenOrder> active = new ArrayList<>(queue.size());
      for (int i = 0; i < queue.size(); i++) {
        active.add(kitchenOrder(queue.get(i), i + 1, average));
      }
      shown = new KitchenDisplayState(cafeId, List.copyOf(active), List.copyOf(ready), average, load(), lastUpdated);
    }
    return shown;
  }

  /** When the model was last compared with the database (loaded or reconciled). */
  Instant checkedAt() {
    return checkedAt;
  }

  private static KitchenOrder kitchenOrder(Entry e, int position, long average) {
    return new KitchenOrder(e.orderId, e.orderNumber, e.status.name(), e.type, e.table, e.items, e.createdAt, e.queuedAt, position,
        waitSeconds(position, average));
  }

  private long averageSeconds() {
    return times.average().toSeconds();
  }

  private int load() {
    return Math.min(100, queue.size() * 100 / RealTimeStateManager.KITCHEN_CAPACITY);
  }
}
