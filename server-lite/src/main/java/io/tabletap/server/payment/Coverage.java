package io.tabletap.server.payment;

import io.tabletap.server.domain.Money;
import io.tabletap.server.domain.Order;
import io.tabletap.server.domain.OrderStatus;
import io.tabletap.server.domain.Payment;
import io.tabletap.server.domain.PaymentStatus;
import java.util.List;

/**
 * How much of an order its payments cover. Open payments count as covering (so two tills cannot
 * both start paying the whole order); captured ones count net of their refunds.
 */
final class Coverage {
  private Coverage() {}

  static Money captured(Order order, List<Payment> payments) {
    return payments.stream().filter(p -> p.status().isCaptured()).map(p -> p.amount().minus(p.refunded()))
        .reduce(Money.zero(order.total().currency()), Money::plus);
  }

  static Money committed(Order order, List<Payment> payments) {
    Money open = payments.stream().filter(p -> p.status().isOpen()).map(Payment::amount)
        .reduce(Money.zero(order.total().currency()), Money::plus);
    return captured(order, payments).plus(open);
  }

  /** What is still to be paid once every open payment completes; never negative. */
  static Money outstanding(Order order, List<Payment> payments) {
    Money left = order.total().minus(committed(order, payments));
    return left.isNegative() ? Money.zero(left.currency()) : left;
  }

  /** The order after its payments changed: PAID once captured money covers it. */
  static Order settle(Order order, List<Payment> payments, java.time.Instant at) {
    if (order.status() == OrderStatus.PAYMENT_PENDING && captured(order, payments).compareTo(order.total()) >= 0) {
      return order.moveTo(OrderStatus.PAID, at);
    }
    return order;
  }

  /** The order after a refund: REFUNDED once every captured payment of a paid order is refunded in full. */
  static Order afterRefund(Order order, List<Payment> payments, java.time.Instant at) {
    List<Payment> captured = payments.stream().filter(p -> p.status().isCaptured()).toList();
    boolean allBack = !captured.isEmpty() && captured.stream().allMatch(p -> p.status() == PaymentStatus.REFUNDED);
    if (allBack && order.status().canMoveTo(OrderStatus.REFUNDED)) {
      return order.moveTo(OrderStatus.REFUNDED, at);
    }
    return order;
  }
}
