package io.tabletap.server.payment;

import io.tabletap.server.domain.Order;
import io.tabletap.server.domain.OrderStatusChanged;
import io.tabletap.server.domain.Payment;
import io.tabletap.server.domain.PaymentCompleted;
import io.tabletap.server.domain.PaymentFailed;
import io.tabletap.server.domain.PaymentInitiated;
import io.tabletap.server.domain.PaymentStatus;
import io.tabletap.server.event.EventBus;
import java.time.Instant;

/** Publishes what a payment change means, inside its transaction (docs/decisions/0018). */
final class PaymentEvents {
  private final EventBus bus;

  PaymentEvents(EventBus bus) {
    this.bus = bus;
  }

  /** @param before the payment before the change, or null when it was created */
  void published(Payment before, Payment after, Order orderBefore, Order orderAfter, Instant at) {
    if (before == null) {
      bus.publish(new PaymentInitiated(after, at));
    }
    PaymentStatus was = before == null ? null : before.status();
    if (after.status() != was) {
      if (after.status() == PaymentStatus.COMPLETED) {
        bus.publish(new PaymentCompleted(after, at));
      } else if (after.status() == PaymentStatus.FAILED || after.status() == PaymentStatus.CANCELLED
          || after.status() == PaymentStatus.EXPIRED) {
        bus.publish(new PaymentFailed(after, at));
      }
    }
    order(orderBefore, orderAfter, at);
  }

  void order(Order before, Order after, Instant at) {
    if (before.status() != after.status()) {
      bus.publish(new OrderStatusChanged(after, before.status(), after.status(), at));
    }
  }

  void publish(io.tabletap.server.domain.DomainEvent event) {
    bus.publish(event);
  }
}
