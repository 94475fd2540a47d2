package io.tabletap.server.order;

import io.tabletap.server.domain.Order;
import io.tabletap.server.domain.OrderStatus;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;

/** Persistence of orders. Every method is one transaction. */
public interface OrderStore {

  /** What {@link #create} did. */
  sealed interface CreateResult permits Created, AlreadyExists {}

  record Created(Order order) implements CreateResult {}

  /**
   * The order id or the idempotency key was already taken (possibly by a concurrent request);
   * nothing was written.
   *
   * @param requestHash the hash stored with the existing order or key, to compare with ours
   */
  record AlreadyExists(Order order, String requestHash, boolean byIdempotencyKey) implements CreateResult {}

  /** An order together with the hash of the request that created it. */
  record Stored(Order order, String requestHash) {}

  /**
   * Allocates the next order number of the cafe's business day and inserts the order that
   * {@code build} makes with it, its lines, and the idempotency key (if any), atomically.
   */
  CreateResult create(String cafeId, LocalDate businessDate, IntFunction<Order> build, String requestHash, String idempotencyKey);

  Optional<Stored> find(UUID orderId);

  Optional<Stored> findByIdempotencyKey(String cafeId, String idempotencyKey);

  /** Orders of a cafe, oldest change first; {@code statuses} empty means all. */
  List<Order> list(String cafeId, Set<OrderStatus> statuses, Instant updatedSince, int limit);

  /** The order before and after a change. */
  record Change(Order before, Order after) {}

  /**
   * Loads the order under a row lock, applies {@code change} and writes the result with a history
   * row, in one transaction. Exceptions thrown by {@code change} roll back and propagate.
   */
  Optional<Change> update(UUID orderId, UnaryOperator<Order> change, String actor);

  long count();
}
