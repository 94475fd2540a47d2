package io.tabletap.server.order;

import io.tabletap.server.device.Device;
import io.tabletap.server.domain.Cafe;
import io.tabletap.server.domain.NotFoundException;
import io.tabletap.server.domain.Order;
import io.tabletap.server.domain.OrderCreated;
import io.tabletap.server.domain.OrderPricing;
import io.tabletap.server.domain.OrderRequest;
import io.tabletap.server.domain.OrderStatus;
import io.tabletap.server.domain.OrderStatusChanged;
import io.tabletap.server.domain.TimeOrderedIds;
import io.tabletap.server.domain.ValidationException;
import io.tabletap.server.event.EventBus;
import io.tabletap.server.tx.Transactions;
import io.tabletap.server.menu.CafeStore;
import io.tabletap.server.menu.MenuStore;
import io.tabletap.server.order.OrderStore.AlreadyExists;
import io.tabletap.server.order.OrderStore.CreateResult;
import io.tabletap.server.order.OrderStore.Created;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** The order use cases: take an order, look orders up, move them along. */
public final class OrderService {
  private final Transactions transactions;
  public static final int MAX_IDEMPOTENCY_KEY_LENGTH = 255;
  public static final int MAX_LIST_LIMIT = 500;

  private final CafeStore cafes;
  private final MenuStore menus;
  private final OrderStore orders;
  private final EventBus events;
  private final TransitionPolicy policy;
  private final Clock clock;

  public OrderService(CafeStore cafes, MenuStore menus, OrderStore orders, EventBus events, TransitionPolicy policy, Clock clock) {
    this(cafes, menus, orders, events, policy, clock, Transactions.NONE);
  }

  /**
   * @param transactions the database's: a change and what its events write (audit rows, room
   *     events) commit together (docs/decisions/0018)
   */
  public OrderService(CafeStore cafes, MenuStore menus, OrderStore orders, EventBus events, TransitionPolicy policy, Clock clock,
      Transactions transactions) {
    this.transactions = transactions;
    this.cafes = cafes;
    this.menus = menus;
    this.orders = orders;
    this.events = events;
    this.policy = policy;
    this.clock = clock;
  }

  /** @param created false when this was a retry that returned the order made the first time */
  public record Placed(Order order, boolean created) {}

  /**
   * Takes an order. A retry with the same {@code idempotencyKey} (or the same client-chosen id)
   * and the same content returns the first order and changes nothing.
   *
   * @throws ValidationException if the request breaks the menu's rules
   * @throws IdempotencyConflictException if the key or id was used for a different request
   */
  public Placed place(String cafeId, OrderRequest request, String idempotencyKey) {
    checkIdempotencyKey(idempotencyKey);
    String hash = RequestHash.of(request);
    Optional<OrderStore.Stored> earlier = idempotencyKey != null
        ? orders.findByIdempotencyKey(cafeId, idempotencyKey)
        : Optional.empty();
    if (earlier.isPresent()) {
      return replay(cafeId, new AlreadyExists(earlier.get().order(), earlier.get().requestHash(), true), hash);
    }
    if (request.id() != null) {
      Optional<OrderStore.Stored> sameId = orders.find(request.id());
      if (sameId.isPresent()) {
        return replay(cafeId, new AlreadyExists(sameId.get().order(), sameId.get().requestHash(), false), hash);
      }
    }
    Cafe cafe = cafes.find(cafeId).orElseThrow(() -> new NotFoundException("No cafe '" + cafeId + "'"));
    OrderPricing.Priced priced = new OrderPricing(cafe, menus.menu(cafeId)).price(request);
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    LocalDate businessDate = cafe.businessDate(now);
    UUID id = request.id() != null ? request.id() : TimeOrderedIds.next(now);
    CreateResult result = transactions.run(() -> {
      CreateResult r = orders.create(cafeId, businessDate,
          number -> new Order(id, cafeId, number, businessDate, priced.type(), priced.table(), priced.lines(),
              priced.totals().subtotal(), priced.totals().tax(), priced.totals().total(), OrderStatus.CREATED, now, now),
          hash, idempotencyKey);
      if (r instanceof Created created) {
        events.publish(new OrderCreated(created.order(), now));
      }
      return r;
    });
    if (result instanceof Created created) {
      return new Placed(created.order(), true);
    }
    return replay(cafeId, (AlreadyExists) result, hash);
  }

  /** The earlier order for a retry; order ids are global, so one of another cafe is only a clash. */
  private static Placed replay(String cafeId, AlreadyExists existing, String hash) {
    if (!existing.order().cafeId().equals(cafeId) || !existing.requestHash().equals(hash)) {
      throw existing.byIdempotencyKey()
          ? new IdempotencyConflictException("This Idempotency-Key was already used for a different order", true)
          : new IdempotencyConflictException("An order with id " + existing.order().id() + " already exists with other content", false);
    }
    return new Placed(existing.order(), false);
  }

  private static void checkIdempotencyKey(String key) {
    if (key == null) {
      return;
    }
    if (key.isBlank() || key.length() > MAX_IDEMPOTENCY_KEY_LENGTH || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw ValidationException.of("Idempotency-Key", "bad_idempotency_key",
          "Idempotency-Key must be 1 to " + MAX_IDEMPOTENCY_KEY_LENGTH + " printable ASCII characters");
    }
  }

  /** @throws NotFoundException if there is no such order in this cafe */
  public Order get(String cafeId, UUID orderId) {
    return orders.find(orderId).map(OrderStore.Stored::order).filter(o -> o.cafeId().equals(cafeId))
        .orElseThrow(() -> new NotFoundException("No order " + orderId));
  }

  public List<Order> list(String cafeId, Set<OrderStatus> statuses, Instant updatedSince, int limit) {
    return orders.list(cafeId, statuses, updatedSince, Math.max(1, Math.min(limit, MAX_LIST_LIMIT)));
  }

  /**
   * Moves an order to {@code target} on behalf of {@code device}.
   *
   * @throws io.tabletap.server.device.AccessDeniedException if the device's role may not
   * @throws io.tabletap.server.domain.IllegalTransitionException if the state machine refuses
   */
  public Order transition(Device device, UUID orderId, OrderStatus target) {
    policy.check(device.role(), target);
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    return transactions.run(() -> {
      OrderStore.Change change = orders.update(orderId, order -> {
        if (!order.cafeId().equals(device.cafeId())) {
          throw new NotFoundException("No order " + orderId);
        }
        return order.moveTo(target, now);
      }, device.id().toString()).orElseThrow(() -> new NotFoundException("No order " + orderId));
      events.publish(new OrderStatusChanged(change.after(), change.before().status(), target, now));
      return change.after();
    });
  }
}
