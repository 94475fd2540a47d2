package io.tabletap.server.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * An order as the cafe keeps it. Immutable: a status change returns a new {@code Order}, and only
 * along the moves {@link OrderStatus} allows.
 */
public record Order(
    UUID id,
    String cafeId,
    int orderNumber,
    LocalDate businessDate,
    OrderType type,
    String table,
    List<OrderLine> lines,
    Money subtotal,
    Money tax,
    Money total,
    OrderStatus status,
    Instant createdAt,
    Instant updatedAt) {

  public Order {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(cafeId, "cafeId");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(status, "status");
    lines = List.copyOf(lines);
    if (type == OrderType.DINE_IN && (table == null || table.isBlank())) {
      throw new IllegalArgumentException("A dine-in order needs a table");
    }
    if (lines.isEmpty()) {
      throw new IllegalArgumentException("An order needs at least one line");
    }
  }

  /**
   * This order in {@code target} status.
   *
   * @throws IllegalTransitionException if the state machine does not allow the move
   */
  public Order moveTo(OrderStatus target, Instant at) {
    if (!status.canMoveTo(target)) {
      throw new IllegalTransitionException(status, target);
    }
    return new Order(id, cafeId, orderNumber, businessDate, type, table, lines, subtotal, tax, total, target, createdAt, at);
  }
}
