package io.tabletap.server.realtime;

import io.tabletap.server.domain.DomainEvent;
import io.tabletap.server.domain.NotFoundException;
import io.tabletap.server.domain.Order;
import io.tabletap.server.domain.OrderCreated;
import io.tabletap.server.domain.OrderStatus;
import io.tabletap.server.domain.OrderStatusChanged;
import io.tabletap.server.domain.Payment;
import io.tabletap.server.domain.PaymentCompleted;
import io.tabletap.server.domain.PaymentFailed;
import io.tabletap.server.domain.PaymentInitiated;
import io.tabletap.server.domain.PaymentRefunded;
import io.tabletap.server.order.OrderService;
import io.tabletap.server.payment.PaymentService;
import io.tabletap.server.realtime.States.KitchenDisplayState;
import io.tabletap.server.realtime.States.OrderState;
import io.tabletap.server.realtime.States.PaymentState;
import io.tabletap.server.realtime.States.QueuePosition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seed's real-time state, kept in memory with its TTLs on the injected clock instead of Redis:
 * order state (1 h), kitchen display per cafe (5 min), payment state (30 min). H2 is the truth:
 * a state that expired, or that a restart forgot, is rebuilt from the orders, payments and the
 * event log (measured preparation times) when next asked for.
 *
 * <p>Each cafe's kitchen display is a {@link KitchenModel} that follows the order events one
 * change at a time (decision 0017): it is read from H2 only when there is none yet (first use
 * after a start) and when its TTL has run out. For each change it publishes a small {@code
 * kitchen_display_updated} delta to the kitchen room, on the caller's thread right after the
 * order's own room events, and {@code queue_position_updated} to {@code order:{id}} for each order
 * whose place in the queue changed. It is what {@code snapshot} frames carry for order, payment
 * and kitchen rooms.
 *
 * <p>Thread-safe: a cafe's kitchen changes and publishes under that cafe's lock, so its deltas are
 * logged in the order the model took them.
 */
public final class RealTimeStateManager implements SnapshotSource, StateSynchronizationService.StateListener {
  public static final Duration ORDER_TTL = Duration.ofSeconds(3600);
  /**
   * How long a kitchen model is trusted without comparing it with H2. Events keep it exact; the
   * first use after this long re-reads the cafe's kitchen orders and publishes a delta for each
   * difference, so an event that never arrived (its room events failed to store) is healed.
   */
  public static final Duration KITCHEN_TTL = Duration.ofSeconds(300);
  public static final Duration PAYMENT_TTL = Duration.ofSeconds(1800);
  /** Orders cooked at once, for the wait estimate. */
  public static final int KITCHEN_PARALLELISM = 2;
  /** Active orders at which the load is 100. */
  public static final int KITCHEN_CAPACITY = 10;
  private static final Logger logger = LoggerFactory.getLogger(RealTimeStateManager.class);
  private static final int LOG_LOOKBACK = 500;
  /** Events kept for a retry while the log fails to store them; past this the log is broken for good, not busy. */
  private static final int MAX_UNSENT = 10_000;
  private static final EnumSet<OrderStatus> KITCHEN_STATES = EnumSet.of(OrderStatus.PAID, OrderStatus.IN_PREPARATION, OrderStatus.READY);

  private final OrderService orders;
  private final PaymentService payments;
  private final RoomHub hub;
  private final EventLog log;
  private final SnapshotSource others;
  private final Clock clock;
  private final Map<UUID, Cached<OrderState>> orderStates = new ConcurrentHashMap<>();
  private final Map<UUID, Cached<PaymentState>> paymentStates = new ConcurrentHashMap<>();
  private final Map<String, Kitchen> kitchens = new ConcurrentHashMap<>();

  private record Cached<T>(T value, Instant expiresAt) {
    boolean expiredAt(Instant now) {
      return !now.isBefore(expiresAt);
    }
  }

  /** A cafe's lock, its kitchen model (null until first used) and events that could not be stored yet. */
  private static final class Kitchen {
    KitchenModel model;
    final List<RoomEvent> unsent = new ArrayList<>();
  }

  /** @param others snapshots of the rooms this manager keeps no state for (cafe, staff, board, flow) */
  public RealTimeStateManager(OrderService orders, PaymentService payments, RoomHub hub, EventLog log, SnapshotSource others,
      Clock clock) {
    this.orders = orders;
    this.payments = payments;
    this.hub = hub;
    this.log = log;
    this.others = others;
    this.clock = clock;
  }

  // ---- following the domain ----

  @Override
  public boolean wants(DomainEvent event) {
    return event instanceof OrderCreated || event instanceof OrderStatusChanged || event instanceof PaymentInitiated
        || event instanceof PaymentCompleted || event instanceof PaymentFailed || event instanceof PaymentRefunded;
  }

  @Override
  public void on(DomainEvent event) {
    if (event instanceof OrderCreated created) {
      putOrder(created.order(), null, null);
    } else if (event instanceof OrderStatusChanged changed) {
      Order o = changed.order();
      String paymentStatus = peekOrderState(o.id()).map(OrderState::paymentStatus).orElse(null);
      if (KITCHEN_STATES.contains(changed.from()) || KITCHEN_STATES.contains(changed.to())) {
        Kitchen kitchen = kitchen(o.cafeId());
        synchronized (kitchen) {
          KitchenModel model = loaded(o.cafeId(), kitchen);
          KitchenModel.Change change = model.follow(o, changed.occurredAt());
          if (change != null) {
            putOrder(o, paymentStatus, model.position(o.id(), changed.occurredAt()).orElse(null));
            publish(o.cafeId(), kitchen, List.of(change), changed.occurredAt());
          }
          checked(o.cafeId(), kitchen); // after the event: the database has it already, so it is no difference
        }
      } else {
        putOrder(o, paymentStatus, null);
      }
    } else if (event instanceof PaymentInitiated p) {
      payment(p.payment());
    } else if (event instanceof PaymentCompleted p) {
      payment(p.payment());
    } else if (event instanceof PaymentFailed p) {
      payment(p.payment());
    } else if (event instanceof PaymentRefunded p) {
      payment(p.payment());
    }
  }

  private void payment(Payment p) {
    paymentStates.put(p.id(), new Cached<>(paymentState(p), clock.instant().plus(PAYMENT_TTL)));
    updateOrderState(p.orderId(), s -> new OrderState(s.orderId(), s.orderNumber(), s.status(), p.status().name(),
        s.queuePosition(), s.estimatedReadyTime(), s.kitchenStatus(), clock.instant()));
  }

  /** @param position where the order is in the kitchen queue, or null if it is not in it */
  private void putOrder(Order o, String paymentStatus, QueuePosition position) {
    orderStates.put(o.id(), new Cached<>(new OrderState(o.id(), o.orderNumber(), o.status().name(), paymentStatus,
        position == null ? null : position.position(), position == null ? null : position.estimatedReadyTime(),
        kitchenStatus(o.status()), clock.instant()), clock.instant().plus(ORDER_TTL)));
  }

  /** Changes the order's state if it is in memory and not expired, atomically (payments and the kitchen both change it). */
  private void updateOrderState(UUID orderId, UnaryOperator<OrderState> change) {
    Instant now = clock.instant();
    orderStates.computeIfPresent(orderId, (id, cached) -> !cached.expiredAt(now)
        ? new Cached<>(change.apply(cached.value()), now.plus(ORDER_TTL)) : cached);
  }

  private static String kitchenStatus(OrderStatus status) {
    return switch (status) {
      case PAID -> "QUEUED";
      case IN_PREPARATION -> "PREPARING";
      case READY -> "READY";
      default -> null;
    };
  }

  private Kitchen kitchen(String cafe) {
    return kitchens.computeIfAbsent(cafe, c -> new Kitchen());
  }

  /**
   * The cafe's kitchen model, read from H2 if there is none yet. Called with the cafe's lock held.
   *
   * <p>A model just read is sent whole, once: screens that resume across a restart may lack a
   * change whose delta a crash kept from the log (decision 0014), and nothing else would repair it.
   */
  private KitchenModel loaded(String cafe, Kitchen kitchen) {
    if (kitchen.model == null) {
      RoomKey room = new RoomKey(cafe, Room.kitchen(cafe));
      PreparationTimes times = PreparationTimes.from(log.latest(room, LOG_LOOKBACK));
      Instant now = clock.instant();
      kitchen.model = KitchenModel.load(cafe, kitchenOrders(cafe), times, now);
      send(cafe, kitchen, List.of(new RoomEvent(room, RealtimeEvents.KITCHEN_DISPLAY_UPDATED, kitchen.model.display(), now)));
    }
    return kitchen.model;
  }

  /**
   * The cafe's kitchen model, loaded if there is none yet and compared with H2 if its TTL ran out:
   * a difference means an event never reached it (or is still on its way), and each one is
   * published as a delta. Called with the cafe's lock held.
   */
  private KitchenModel checked(String cafe, Kitchen kitchen) {
    KitchenModel model = loaded(cafe, kitchen);
    Instant now = clock.instant();
    if (now.isBefore(model.checkedAt().plus(KITCHEN_TTL))) {
      return model;
    }
    List<KitchenModel.Change> differences = model.reconcile(kitchenOrders(cafe), id -> find(cafe, id), now);
    if (!differences.isEmpty()) {
      logger.warn("Kitchen display of {} differed from the database in {} orders (an event was missed, or is on its way):"
          + " sending the corrections", cafe, differences.size());
      differences.forEach(c -> orderStates.remove(c.delta().orderId())); // as wrong as the display was: rebuilt when read
      publish(cafe, kitchen, differences, now);
    }
    return model;
  }

  /**
   * The cafe's PAID, IN_PREPARATION and READY orders, all of them: read in pages of the list's
   * limit, each page starting at the last one's newest change (an order seen twice counts once).
   */
  private List<Order> kitchenOrders(String cafe) {
    EnumSet<OrderStatus> wanted = EnumSet.copyOf(KITCHEN_STATES);
    Map<UUID, Order> found = new LinkedHashMap<>();
    Instant since = null;
    while (true) {
      List<Order> page = orders.list(cafe, wanted, since, OrderService.MAX_LIST_LIMIT);
      int before = found.size();
      page.forEach(o -> found.putIfAbsent(o.id(), o));
      if (page.size() < OrderService.MAX_LIST_LIMIT) {
        return new ArrayList<>(found.values());
      }
      Instant last = page.get(page.size() - 1).updatedAt();
      if (found.size() == before || last.equals(since)) {
        logger.warn("Kitchen display of {}: over {} orders changed at {}; showing those read", cafe,
            OrderService.MAX_LIST_LIMIT, last);
        return new ArrayList<>(found.values());
      }
      since = last;
    }
  }

  private Optional<Order> find(String cafe, UUID orderId) {
    try {
      return Optional.of(orders.get(cafe, orderId));
    } catch (NotFoundException gone) {
      return Optional.empty();
    }
  }

  /**
   * Sends the changes' deltas to the kitchen room and the moved positions to the orders' rooms;
   * the orders' states learn their new positions. Called with the cafe's lock held.
   */
  private void publish(String cafe, Kitchen kitchen, List<KitchenModel.Change> changes, Instant at) {
    RoomKey room = new RoomKey(cafe, Room.kitchen(cafe));
    List<RoomEvent> out = new ArrayList<>();
    for (KitchenModel.Change change : changes) {
      out.add(new RoomEvent(room, RealtimeEvents.KITCHEN_DISPLAY_UPDATED, change.delta(), at));
      for (QueuePosition moved : change.moved()) {
        out.add(new RoomEvent(new RoomKey(cafe, Room.order(moved.orderId())), RealtimeEvents.QUEUE_POSITION_UPDATED, moved, at));
        updateOrderState(moved.orderId(), s -> new OrderState(s.orderId(), s.orderNumber(), s.status(), s.paymentStatus(),
            moved.position(), moved.estimatedReadyTime(), s.kitchenStatus(), at));
      }
    }
    send(cafe, kitchen, out);
  }

  /**
   * Publishes a cafe's kitchen events. Called with the cafe's lock held, so deltas are numbered in
   * the order the model took them. Events the log could not store go out with the cafe's next
   * ones, in order, rather than being lost: clients apply deltas in sequence.
   */
  private void send(String cafe, Kitchen kitchen, List<RoomEvent> events) {
    List<RoomEvent> out = new ArrayList<>(kitchen.unsent);
    out.addAll(events);
    try {
      hub.publish(out);
      kitchen.unsent.clear();
    } catch (RuntimeException e) {
      kitchen.unsent.clear();
      if (out.size() <= MAX_UNSENT) {
        kitchen.unsent.addAll(out);
        logger.warn("Kitchen display events of {} not stored ({} waiting for the next change): {}", cafe, out.size(),
            e.getMessage());
      } else {
        logger.error("Kitchen display events of {} not stored, {} dropped: its screens need a snapshot", cafe, out.size(), e);
      }
    }
  }

  // ---- reading state ----

  /** The order's state if it is in memory and not expired; never reads the database. */
  public Optional<OrderState> peekOrderState(UUID orderId) {
    return live(orderStates.get(orderId));
  }

  /** The payment's state if it is in memory and not expired; never reads the database. */
  public Optional<PaymentState> peekPaymentState(UUID paymentId) {
    return live(paymentStates.get(paymentId));
  }

  /**
   * The kitchen display if its model is in memory and was compared with the database within
   * {@link #KITCHEN_TTL}; never reads the database.
   */
  public Optional<KitchenDisplayState> peekKitchenDisplay(String cafeId) {
    Kitchen kitchen = kitchens.get(cafeId);
    if (kitchen == null) {
      return Optional.empty();
    }
    synchronized (kitchen) {
      KitchenModel model = kitchen.model;
      return model == null || !clock.instant().isBefore(model.checkedAt().plus(KITCHEN_TTL)) ? Optional.empty()
          : Optional.of(model.display());
    }
  }

  /** The order's state, rebuilt from H2 if it expired. @throws NotFoundException if no such order in the cafe */
  public OrderState orderState(String cafeId, UUID orderId) {
    Optional<OrderState> cached = peekOrderState(orderId);
    if (cached.isPresent()) {
      return cached.get();
    }
    Order o = orders.get(cafeId, orderId);
    String paymentStatus = payments.forOrder(cafeId, orderId).stream().max(Comparator.comparing(Payment::createdAt))
        .map(p -> p.status().name()).orElse(null);
    Kitchen kitchen = kitchen(cafeId);
    synchronized (kitchen) {
      putOrder(o, paymentStatus, checked(cafeId, kitchen).position(orderId, clock.instant()).orElse(null));
    }
    return peekOrderState(orderId).orElseThrow();
  }

  /** The payment's state, rebuilt from H2 if it expired. */
  public PaymentState paymentState(String cafeId, UUID paymentId) {
    return peekPaymentState(paymentId).orElseGet(() -> {
      PaymentState state = paymentState(payments.get(cafeId, paymentId));
      paymentStates.put(paymentId, new Cached<>(state, clock.instant().plus(PAYMENT_TTL)));
      return state;
    });
  }

  /** The cafe's kitchen display; read from H2 if it has no model yet, compared with H2 if its TTL ran out. */
  public KitchenDisplayState kitchenDisplay(String cafeId) {
    Kitchen kitchen = kitchen(cafeId);
    synchronized (kitchen) {
      return checked(cafeId, kitchen).display();
    }
  }

  private static PaymentState paymentState(Payment p) {
    return new PaymentState(p.id(), p.orderId(), p.status().name(), p.amount().minorUnits(), p.refunded().minorUnits(),
        p.amount().currency().getCurrencyCode(), p.method().name(), p.gatewayTransactionId(), p.errorMessage(), p.updatedAt());
  }

  /**
   * Forgets the order and payment states whose TTL has run out (they would be rebuilt from H2 if
   * asked for again). Without this, every order and payment the server ever saw stayed in memory;
   * the server calls it every minute. Returns how many were forgotten.
   */
  public int evictExpired() {
    Instant now = clock.instant();
    int before = cachedStates();
    // removeIf on a ConcurrentHashMap removes an entry only if it still holds the value tested
    orderStates.values().removeIf(c -> c.expiredAt(now));
    paymentStates.values().removeIf(c -> c.expiredAt(now));
    return Math.max(0, before - cachedStates());
  }

  /** How many order and payment states are held in memory, expired or not (for tests). */
  public int cachedStates() {
    return orderStates.size() + paymentStates.size();
  }

  private <T> Optional<T> live(Cached<T> cached) {
    return cached == null || cached.expiredAt(clock.instant()) ? Optional.empty() : Optional.of(cached.value());
  }

  // ---- snapshots ----

  @Override
  public Object state(RoomKey key) {
    Room room = Room.parse(key.room()).orElseThrow();
    try {
      return switch (room.kind()) {
        case ORDER -> {
          UUID id = UUID.fromString(room.id());
          Map<String, Object> state = new LinkedHashMap<>();
          state.put("order", Views.order(orders.get(key.cafeId(), id)));
          state.put("orderState", orderState(key.cafeId(), id));
          state.put("payments", payments.forOrder(key.cafeId(), id).stream().map(Views::payment).toList());
          yield state;
        }
        case PAYMENT -> Map.of("payment", paymentState(key.cafeId(), UUID.fromString(room.id())));
        case KITCHEN -> kitchenDisplay(key.cafeId());
        default -> others.state(key);
      };
    } catch (NotFoundException gone) {
      return Map.of("gone", true);
    }
  }
}
