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
import io.tabletap.server.realtime.States.KitchenOrder;
import io.tabletap.server.realtime.States.OrderState;
import io.tabletap.server.realtime.States.PaymentState;
import io.tabletap.server.realtime.States.QueuePosition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The seed's real-time state, kept in memory with its TTLs on the injected clock instead of Redis:
 * order state (1 h), kitchen display per cafe (5 min), payment state (30 min). H2 is the truth:
 * a state that expired, or that a restart forgot, is rebuilt from the orders, payments and the
 * event log (measured preparation times) when next asked for.
 *
 * <p>It follows the domain events (after their room events went out) and publishes {@code
 * kitchen_display_updated} to the kitchen room when the kitchen's work changes, and {@code
 * queue_position_updated} to {@code order:{id}} when an order's place in the queue changes. It is
 * what {@code snapshot} frames carry for order, payment and kitchen rooms.
 *
 * <p>Queue: orders IN_PREPARATION first, then PAID ones, each oldest first; position 1 is next.
 * An order's estimated wait is {@code ceil(position / KITCHEN_PARALLELISM) × average preparation
 * time}. Thread-safe: each cafe's kitchen is recomputed and published under that cafe's lock.
 */
public final class RealTimeStateManager implements SnapshotSource, StateSynchronizationService.StateListener {
  public static final Duration ORDER_TTL = Duration.ofSeconds(3600);
  public static final Duration KITCHEN_TTL = Duration.ofSeconds(300);
  public static final Duration PAYMENT_TTL = Duration.ofSeconds(1800);
  /** Orders cooked at once, for the wait estimate. */
  public static final int KITCHEN_PARALLELISM = 2;
  /** Active orders at which the load is 100. */
  public static final int KITCHEN_CAPACITY = 10;
  private static final int LOG_LOOKBACK = 500;
  private static final EnumSet<OrderStatus> KITCHEN_STATES = EnumSet.of(OrderStatus.PAID, OrderStatus.IN_PREPARATION, OrderStatus.READY);

  private final OrderService orders;
  private final PaymentService payments;
  private final RoomHub hub;
  private final EventLog log;
  private final SnapshotSource others;
  private final Clock clock;
  private final Map<UUID, Cached<OrderState>> orderStates = new ConcurrentHashMap<>();
  private final Map<UUID, Cached<PaymentState>> paymentStates = new ConcurrentHashMap<>();
  private final Map<String, Cached<KitchenDisplayState>> kitchens = new ConcurrentHashMap<>();
  private final Map<String, Kitchen> perCafe = new ConcurrentHashMap<>();

  private record Cached<T>(T value, Instant expiresAt) {}

  /** A cafe's lock, measurements and the queue positions last announced. */
  /**
   * Kitchen displays are recomputed off the caller's thread, and changes that arrive while a
   * recomputation is pending share it: recomputing reads every active order, so doing it inline
   * for each change made a busy kitchen cost O(active orders) per payment (measured: webhook
   * processing fell to 7/s with 1,500 paid orders waiting; docs/performance.md).
   */
  private final java.util.concurrent.ExecutorService refresher = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
    Thread thread = new Thread(r, "kitchen-display");
    thread.setDaemon(true);
    return thread;
  });
  private final java.util.Set<String> refreshPending = ConcurrentHashMap.newKeySet();

  private void requestKitchenRefresh(String cafe) {
    if (!refreshPending.add(cafe)) {
      return;
    }
    refresher.execute(() -> {
      refreshPending.remove(cafe);
      try {
        Kitchen kitchen = kitchen(cafe);
        synchronized (kitchen) {
          refreshKitchen(cafe, kitchen, true);
        }
      } catch (RuntimeException e) {
        org.slf4j.LoggerFactory.getLogger(RealTimeStateManager.class).warn("Kitchen display of {} not refreshed: {}", cafe,
            e.getMessage());
      }
    });
  }

  private static final class Kitchen {
    /** Guards {@link #times} alone, so recording a move never waits for a display recomputation. */
    final Object timesLock = new Object();
    PreparationTimes times;
    Map<UUID, Integer> positions = new HashMap<>();
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
  public void on(DomainEvent event) {
    if (event instanceof OrderCreated created) {
      putOrder(created.order(), null);
    } else if (event instanceof OrderStatusChanged changed) {
      Order o = changed.order();
      putOrder(o, peekOrderState(o.id()).map(OrderState::paymentStatus).orElse(null));
      if (KITCHEN_STATES.contains(changed.from()) || KITCHEN_STATES.contains(changed.to())) {
        Kitchen kitchen = kitchen(o.cafeId());
        synchronized (kitchen.timesLock) {
          kitchen.times.moved(o.id(), changed.to().name(), changed.occurredAt());
        }
        requestKitchenRefresh(o.cafeId());
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
    peekOrderState(p.orderId()).ifPresent(s -> orderStates.put(p.orderId(), new Cached<>(new OrderState(s.orderId(),
        s.orderNumber(), s.status(), p.status().name(), s.queuePosition(), s.estimatedReadyTime(), s.kitchenStatus(),
        clock.instant()), clock.instant().plus(ORDER_TTL))));
  }

  private void putOrder(Order o, String paymentStatus) {
    Optional<OrderState> before = peekOrderState(o.id());
    orderStates.put(o.id(), new Cached<>(new OrderState(o.id(), o.orderNumber(), o.status().name(), paymentStatus,
        before.map(OrderState::queuePosition).orElse(null), before.map(OrderState::estimatedReadyTime).orElse(null),
        kitchenStatus(o.status()), clock.instant()), clock.instant().plus(ORDER_TTL)));
  }

  private static String kitchenStatus(OrderStatus status) {
    return switch (status) {
      case PAID -> "QUEUED";
      case IN_PREPARATION -> "PREPARING";
      case READY -> "READY";
      default -> null;
    };
  }

  /**
   * Recomputes a cafe's kitchen display from H2; with {@code publish}, sends it to the kitchen
   * room and sends each order whose queue position changed its new one. Holds the cafe's lock.
   */
  private KitchenDisplayState refreshKitchen(String cafe, Kitchen kitchen, boolean publish) {
    Instant now = clock.instant();
    long average;
    synchronized (kitchen.timesLock) {
      average = kitchen.times.average().toSeconds();
    }
    List<Order> active = new ArrayList<>(orders.list(cafe, EnumSet.of(OrderStatus.PAID, OrderStatus.IN_PREPARATION), null,
        OrderService.MAX_LIST_LIMIT));
    active.sort(Comparator.comparing((Order o) -> o.status() == OrderStatus.IN_PREPARATION ? 0 : 1)
        .thenComparing(Order::createdAt).thenComparing(Order::orderNumber));
    List<KitchenOrder> shown = new ArrayList<>();
    Map<UUID, Integer> positions = new LinkedHashMap<>();
    List<RoomEvent> out = new ArrayList<>();
    for (int i = 0; i < active.size(); i++) {
      Order o = active.get(i);
      int position = i + 1;
      long wait = waitSeconds(position, average);
      shown.add(new KitchenOrder(o.id(), o.orderNumber(), o.status().name(), o.type().name(), o.table(), Views.items(o), position,
          wait));
      positions.put(o.id(), position);
      Instant ready = now.plusSeconds(wait);
      peekOrderState(o.id()).ifPresent(s -> orderStates.put(o.id(), new Cached<>(new OrderState(s.orderId(), s.orderNumber(),
          s.status(), s.paymentStatus(), position, ready, s.kitchenStatus(), now), now.plus(ORDER_TTL))));
      if (!Integer.valueOf(position).equals(kitchen.positions.get(o.id()))) {
        out.add(new RoomEvent(new RoomKey(cafe, Room.order(o.id())), RealtimeEvents.QUEUE_POSITION_UPDATED,
            new QueuePosition(o.id(), o.orderNumber(), position, wait, ready), now));
      }
    }
    List<UUID> ready = orders.list(cafe, EnumSet.of(OrderStatus.READY), null, OrderService.MAX_LIST_LIMIT).stream()
        .map(Order::id).toList();
    KitchenDisplayState state = new KitchenDisplayState(cafe, shown, ready, average,
        Math.min(100, active.size() * 100 / KITCHEN_CAPACITY), now);
    kitchens.put(cafe, new Cached<>(state, now.plus(KITCHEN_TTL)));
    if (publish) {
      kitchen.positions = positions;
      out.add(0, new RoomEvent(new RoomKey(cafe, Room.kitchen(cafe)), RealtimeEvents.KITCHEN_DISPLAY_UPDATED, state, now));
      hub.publish(out);
    }
    return state;
  }

  static long waitSeconds(int position, long averageSeconds) {
    return (long) Math.ceil(position / (double) KITCHEN_PARALLELISM) * averageSeconds;
  }

  private Kitchen kitchen(String cafe) {
    Kitchen kitchen = perCafe.computeIfAbsent(cafe, c -> new Kitchen());
    synchronized (kitchen.timesLock) {
      if (kitchen.times == null) {
        kitchen.times = PreparationTimes.from(log.latest(new RoomKey(cafe, Room.kitchen(cafe)), LOG_LOOKBACK));
      }
    }
    return kitchen;
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

  /** The kitchen display if it is in memory and not expired; never reads the database. */
  public Optional<KitchenDisplayState> peekKitchenDisplay(String cafeId) {
    return live(kitchens.get(cafeId));
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
    putOrder(o, paymentStatus);
    KitchenDisplayState kitchen = kitchenDisplay(cafeId);
    kitchen.activeOrders().stream().filter(k -> k.orderId().equals(orderId)).findFirst().ifPresent(k -> {
      OrderState s = peekOrderState(orderId).orElseThrow();
      orderStates.put(orderId, new Cached<>(new OrderState(s.orderId(), s.orderNumber(), s.status(), s.paymentStatus(),
          k.queuePosition(), kitchen.lastUpdated().plusSeconds(k.estimatedWaitTime()), s.kitchenStatus(), s.lastUpdated()),
          clock.instant().plus(ORDER_TTL)));
    });
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

  /** The cafe's kitchen display, recomputed from H2 if it expired. */
  public KitchenDisplayState kitchenDisplay(String cafeId) {
    Optional<KitchenDisplayState> cached = peekKitchenDisplay(cafeId);
    if (cached.isPresent()) {
      return cached.get();
    }
    Kitchen kitchen = kitchen(cafeId);
    synchronized (kitchen) {
      return refreshKitchen(cafeId, kitchen, false);
    }
  }

  private static PaymentState paymentState(Payment p) {
    return new PaymentState(p.id(), p.orderId(), p.status().name(), p.amount().minorUnits(), p.refunded().minorUnits(),
        p.amount().currency().getCurrencyCode(), p.method().name(), p.gatewayTransactionId(), p.errorMessage(), p.updatedAt());
  }

  private <T> Optional<T> live(Cached<T> cached) {
    return cached == null || !clock.instant().isBefore(cached.expiresAt()) ? Optional.empty() : Optional.of(cached.value());
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
