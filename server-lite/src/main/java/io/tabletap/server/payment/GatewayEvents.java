package io.tabletap.server.payment;

import io.tabletap.server.webhook.WebhookEvent;
import io.tabletap.server.domain.Payment;
import io.tabletap.server.domain.PaymentStatus;
import io.tabletap.server.domain.Refund;
import java.util.Comparator;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a verified provider notification (Payconic's {@code payment.*} and {@code refund.*}) to
 * our payments. Idempotent: applying the same event twice changes nothing the second time, and a
 * report the state machine refuses (failed after succeeded) is ignored.
 */
public final class GatewayEvents {
  private static final Logger log = LoggerFactory.getLogger(GatewayEvents.class);

  /** What became of an event. */
  public enum Applied {
    /** It changed a payment or refund. */
    APPLIED,
    /** It was already applied, or arrived out of order and was refused by a state machine. */
    NO_CHANGE,
    /** An event type we do not act on. */
    IGNORED,
    /** No payment of ours has this transaction id (yet). */
    UNKNOWN_PAYMENT
  }

  private final PaymentStore store;
  private final PaymentService payments;
  private final RefundService refunds;

  public GatewayEvents(PaymentStore store, PaymentService payments, RefundService refunds) {
    this.store = store;
    this.payments = payments;
    this.refunds = refunds;
  }

  public Applied apply(WebhookEvent event) {
    Optional<PaymentStatus> reported = switch (event.eventType()) {
      case "payment.succeeded" -> Optional.of(PaymentStatus.COMPLETED);
      case "payment.failed" -> Optional.of(PaymentStatus.FAILED);
      case "payment.cancelled" -> Optional.of(PaymentStatus.CANCELLED);
      case "payment.expired" -> Optional.of(PaymentStatus.EXPIRED);
      default -> Optional.empty();
    };
    boolean refundEvent = event.eventType().equals("refund.succeeded") || event.eventType().equals("refund.failed");
    if (reported.isEmpty() && !refundEvent) {
      return Applied.IGNORED;
    }
    Optional<Payment> found = store.findByTransaction(event.transactionId());
    if (found.isEmpty()) {
      log.warn("{} event {} names unknown payment {}", event.provider(), event.eventId(), event.transactionId());
      return Applied.UNKNOWN_PAYMENT;
    }
    Payment payment = found.get();
    if (reported.isPresent()) {
      Payment after = payments.settle(payment.id(), reported.get(), null);
      return after.equals(payment) ? Applied.NO_CHANGE : Applied.APPLIED;
    }
    Optional<Refund> pending = store.refundsOf(payment.id()).stream()
        .filter(r -> r.status() == Refund.Status.PENDING)
        .filter(r -> event.amount() == null || r.amount().equals(event.amount()))
        .min(Comparator.comparing(Refund::createdAt));
    if (pending.isEmpty()) {
      return Applied.NO_CHANGE;
    }
    boolean ok = event.eventType().equals("refund.succeeded");
    refunds.finish(pending.get().id(), payment.orderId(), null, ok ? null : "The provider reported the refund failed");
    return Applied.APPLIED;
  }
}
