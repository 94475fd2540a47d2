package io.tabletap.server.domain;

import java.util.EnumSet;
import java.util.Set;

/**
 * The life of an order. The allowed moves are written down here once; {@link Order} refuses every
 * other one, so no layer above can put an order into an impossible state.
 *
 * <pre>
 * CREATED → PAYMENT_PENDING → PAID → IN_PREPARATION → READY → COMPLETED
 *    └──────────┴──→ CANCELLED       └────────┴──────────────┴────────┴──→ REFUNDED
 * </pre>
 *
 * <p>REFUNDED is reached when every captured payment of a paid order was refunded in full.
 */
public enum OrderStatus {
  CREATED,
  PAYMENT_PENDING,
  PAID,
  IN_PREPARATION,
  READY,
  COMPLETED,
  CANCELLED,
  REFUNDED;

  public Set<OrderStatus> next() {
    return switch (this) {
      case CREATED -> EnumSet.of(PAYMENT_PENDING, CANCELLED);
      case PAYMENT_PENDING -> EnumSet.of(PAID, CANCELLED);
      case PAID -> EnumSet.of(IN_PREPARATION, REFUNDED);
      case IN_PREPARATION -> EnumSet.of(READY, REFUNDED);
      case READY -> EnumSet.of(COMPLETED, REFUNDED);
      case COMPLETED -> EnumSet.of(REFUNDED);
      case CANCELLED, REFUNDED -> EnumSet.noneOf(OrderStatus.class);
    };
  }

  public boolean canMoveTo(OrderStatus target) {
    return next().contains(target);
  }

  public boolean isFinal() {
    return next().isEmpty();
  }
}
