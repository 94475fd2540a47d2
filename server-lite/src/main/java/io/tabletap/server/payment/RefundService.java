package io.tabletap.server.payment;

import io.tabletap.server.device.AccessDeniedException;
import io.tabletap.server.device.Device;
import io.tabletap.server.device.Role;
import io.tabletap.server.domain.Money;
import io.tabletap.server.domain.NotFoundException;
import io.tabletap.server.domain.Order;
import io.tabletap.server.domain.Payment;
import io.tabletap.server.domain.PaymentRefunded;
import io.tabletap.server.domain.Refund;
import io.tabletap.server.event.EventBus;
import io.tabletap.server.tx.Transactions;
import io.tabletap.server.payment.PaymentRefusedException.Kind;
import io.tabletap.server.payment.PaymentStore.Outcome;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Refunds, full or partial, of captured payments, through the payment's gateway.
 *
 * <p>A refund is first reserved (PENDING) under the order's lock: what is refundable is the captured
 * amount minus completed <em>and</em> pending refunds, so two refunds at once can never give back
 * more than was taken. The gateway is called after the reservation commits; its answer completes
 * or releases it.
 */
public final class RefundService {
  private final Transactions transactions;
  private final PaymentStore store;
  private final PaymentGateways gateways;
  private final PaymentEvents events;
  private final Clock clock;

  public RefundService(PaymentStore store, PaymentGateways gateways, EventBus bus, Clock clock) {
    this(store, gateways, bus, clock, Transactions.NONE);
  }

  /** @param transactions the database's: a finished refund and what its events write commit together */
  public RefundService(PaymentStore store, PaymentGateways gateways, EventBus bus, Clock clock, Transactions transactions) {
    this.transactions = transactions;
    this.store = store;
    this.gateways = gateways;
    this.events = new PaymentEvents(bus);
    this.clock = clock;
  }

  /**
   * Refunds {@code amount} minor units of a payment (all that is refundable when null). A CASHIER
   * must give a reason; an ADMIN may. The same {@code idempotencyKey} returns the first refund.
   *
   * @throws PaymentRefusedException {@code refund_exceeds_captured} when more than is refundable
   */
  public Refund refund(Device device, UUID paymentId, Long amount, String reason, String idempotencyKey) {
    if (device.role() != Role.ADMIN && device.role() != Role.CASHIER) {
      throw new AccessDeniedException("A " + device.role() + " device may not refund");
    }
    String why = PaymentService.reason(reason, device.role() != Role.ADMIN);
    if (amount != null && amount <= 0) {
      throw io.tabletap.server.domain.ValidationException.of("amount", "bad_amount", "A refund amount must be positive");
    }
    Payment payment = store.find(paymentId).filter(p -> p.cafeId().equals(device.cafeId()))
        .orElseThrow(() -> new NotFoundException("No payment " + paymentId));
    if (idempotencyKey != null) {
      Optional<Refund> earlier = store.refundsOf(paymentId).stream().filter(r -> idempotencyKey.equals(r.idempotencyKey())).findFirst();
      if (earlier.isPresent()) {
        if (amount != null && earlier.get().amount().minorUnits() != amount) {
          throw new PaymentRefusedException(Kind.INVALID, "idempotency_key_reused",
              "This Idempotency-Key was already used for a different refund", null);
        }
        return earlier.get();
      }
    }
    Instant now = now();
    Refund reserved;
    try {
      reserved = reserve(device, paymentId, payment, amount, why, idempotencyKey, now);
    } catch (PaymentStore.DuplicateKeyException raced) {
      return refund(device, paymentId, amount, reason, idempotencyKey);
    }
    return callGateway(payment, reserved);
  }

  private Refund reserve(Device device, UUID paymentId, Payment payment, Long amount, String why, String idempotencyKey, Instant now) {
    return store.locked(payment.orderId(), snapshot -> {
      Payment current = snapshot.payment(paymentId).orElseThrow();
      Money pending = snapshot.refundsOf(paymentId).stream().filter(r -> r.status() == Refund.Status.PENDING)
          .map(Refund::amount).reduce(Money.zero(current.amount().currency()), Money::plus);
      Money refundable = current.refundable().minus(pending);
      if (!current.status().isCaptured()) {
        throw new PaymentRefusedException(Kind.CONFLICT, "not_refundable", "A " + current.status() + " payment cannot be refunded",
            Map.of("status", current.status().name()));
      }
      Money wanted = amount == null ? refundable : new Money(amount, current.amount().currency());
      if (wanted.isZero() || wanted.compareTo(refundable) > 0) {
        throw new PaymentRefusedException(Kind.INVALID, "refund_exceeds_captured", "A refund of " + wanted + " is more than the "
            + refundable + " still refundable on this payment", Map.of("refundable", refundable.minorUnits()));
      }
      Refund refund = new Refund(UUID.randomUUID(), paymentId, wanted, Refund.Status.PENDING, why, device.id().toString(), null,
          null, idempotencyKey, now, now);
      return new Outcome<>(snapshot.order(), List.of(), List.of(refund), device.id().toString(), refund);
    }).orElseThrow();
  }

  private Refund callGateway(Payment payment, Refund reserved) {
    PaymentGateway gateway = gateways.gatewayFor(payment.method());
    GatewayRefund answer;
    try {
      answer = gateway.refundPayment(payment.gatewayTransactionId(), Optional.of(reserved.amount()), "tt-refund-" + reserved.id());
    } catch (GatewayException e) {
      if (e.retryable()) {
        throw new PaymentRefusedException(Kind.UNAVAILABLE, "gateway_unavailable", "The payment provider did not answer: "
            + e.getMessage() + "; the refund is kept pending and may be retried", Map.of("refundId", reserved.id().toString()));
      }
      return finish(reserved.id(), payment.orderId(), null, e.getMessage());
    }
    if (!answer.completed()) {
      return record(reserved, payment.orderId(), answer.refundId());
    }
    return finish(reserved.id(), payment.orderId(), answer.refundId(), null);
  }

  private Refund record(Refund refund, UUID orderId, String gatewayRefundId) {
    return store.locked(orderId, snapshot -> {
      Refund current = snapshot.refunds().stream().filter(r -> r.id().equals(refund.id())).findFirst().orElseThrow();
      Refund updated = current.withGatewayId(gatewayRefundId, now());
      return new Outcome<>(snapshot.order(), List.of(), List.of(updated), "system", updated);
    }).orElseThrow();
  }

  /**
   * Completes (error null) or fails a pending refund; completing adds it to the payment and may make
   * the order REFUNDED. Finishing a refund that is no longer pending changes nothing.
   */
  public Refund finish(UUID refundId, UUID orderId, String gatewayRefundId, String error) {
    Instant now = now();
    return transactions.run(() -> finish(refundId, orderId, gatewayRefundId, error, now));
  }

  private Refund finish(UUID refundId, UUID orderId, String gatewayRefundId, String error, Instant now) {
    Finished finished = store.locked(orderId, snapshot -> {
      Refund refund = snapshot.refunds().stream().filter(r -> r.id().equals(refundId)).findFirst().orElseThrow();
      if (refund.status() != Refund.Status.PENDING) {
        return Outcome.nothing(snapshot.order(), new Finished(refund, null, snapshot.order(), snapshot.order()));
      }
      if (error != null) {
        Refund failed = refund.fail(error, now);
        return new Outcome<>(snapshot.order(), List.of(), List.of(failed), "system",
            new Finished(failed, null, snapshot.order(), snapshot.order()));
      }
      Refund completed = refund.complete(gatewayRefundId == null ? refund.gatewayRefundId() : gatewayRefundId, now);
      Payment payment = snapshot.payment(refund.paymentId()).orElseThrow().withRefund(refund.amount(), now);
      Order order = Coverage.afterRefund(snapshot.order(), PaymentService.replace(snapshot.payments(), payment), now);
      return new Outcome<>(order, List.of(payment), List.of(completed), refund.actor(),
          new Finished(completed, payment, snapshot.order(), order));
    }).orElseThrow(() -> new NotFoundException("No order " + orderId));
    if (finished.payment() != null) {
      events.publish(new PaymentRefunded(finished.payment(), finished.refund(), now));
      events.order(finished.orderBefore(), finished.orderAfter(), now);
    }
    return finished.refund();
  }

  /** A finished refund; {@code payment} is set only when it completed (and so changed the payment). */
  private record Finished(Refund refund, Payment payment, Order orderBefore, Order orderAfter) {}

  public List<Refund> refundsOf(String cafeId, UUID paymentId) {
    store.find(paymentId).filter(p -> p.cafeId().equals(cafeId)).orElseThrow(() -> new NotFoundException("No payment " + paymentId));
    return store.refundsOf(paymentId);
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
