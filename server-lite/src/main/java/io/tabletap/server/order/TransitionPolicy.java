package io.tabletap.server.order;

import io.tabletap.server.device.AccessDeniedException;
import io.tabletap.server.device.Role;
import io.tabletap.server.domain.OrderStatus;
import java.util.EnumSet;
import java.util.Set;

/**
 * Which role may move an order into which status. The state machine says what is possible;
 * this says who may do it. PAID is set by the payment flow, or by an ADMIN by hand; REFUNDED only
 * by the refund flow (docs/decisions/0006-order-transition-roles.md).
 */
public final class TransitionPolicy {

  public Set<OrderStatus> allowedTargets(Role role) {
    return switch (role) {
      case ADMIN -> EnumSet.complementOf(EnumSet.of(OrderStatus.REFUNDED));
      case CASHIER -> EnumSet.of(OrderStatus.PAYMENT_PENDING, OrderStatus.CANCELLED, OrderStatus.IN_PREPARATION,
          OrderStatus.READY, OrderStatus.COMPLETED);
      case KITCHEN -> EnumSet.of(OrderStatus.IN_PREPARATION, OrderStatus.READY);
      case CUSTOMER_DISPLAY -> EnumSet.noneOf(OrderStatus.class);
    };
  }

  public void check(Role role, OrderStatus target) {
    if (!allowedTargets(role).contains(target)) {
      throw new AccessDeniedException("A " + role + " device may not move an order to " + target);
    }
  }
}
