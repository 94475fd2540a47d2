package io.tabletap.server.payment;

import io.tabletap.server.device.Device;
import io.tabletap.server.domain.Cafe;
import io.tabletap.server.domain.FieldError;
import io.tabletap.server.domain.Money;
import io.tabletap.server.domain.NotFoundException;
import io.tabletap.server.domain.Order;
import io.tabletap.server.domain.OrderStatus;
import io.tabletap.server.domain.Payment;
import io.tabletap.server.domain.PaymentMethod;
import io.tabletap.server.domain.PaymentStatus;
import io.tabletap.server.domain.TimeOrderedIds;
import io.tabletap.server.domain.ValidationException;
import io.tabletap.server.event.EventBus;
import io.tabletap.server.tx.Transactions;
import io.tabletap.server.menu.CafeStore;
import io.tabletap.server.payment.PaymentRefusedException.Kind;
import io.tabletap.server.payment.PaymentStore.Outcome;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Paying for orders: start a payment with any gateway, settle it when the gateway says so, confirm
 * a bank transfer by hand, cancel an open one. Split payments: an order becomes PAID when its
 * captured payments cover the total; a payment that would take the order past its total is refused
 * (cash excepted: it gives change).
 *
 * <p>Every decision about amounts is made under the order's row lock ({@link PaymentStore#locked});
 * gateway calls happen outside any transaction.
 */
public final class PaymentService {
  private static final Logger log = LoggerFactory.getLogger(PaymentService.class);
  public static final int MAX_REASON_LENGTH = 200;

  private final Transactions transactions;
  private final PaymentStore store;
  private final CafeStore cafes;
  private final PaymentGateways gateways;
  private final PaymentEvents events;
  private final Clock clock;

  public PaymentService(PaymentStore store, CafeStore cafes, PaymentGateways gateways, EventBus bus, Clock clock) {
    this(store, cafes, gateways, bus, clock, Transactions.NONE);
  }

  /**
   * @param transactions the database's: a settled payment, its order and what their events write
   *     (audit rows, room events) commit together (docs/decisions/0018)
   */
  public PaymentService(PaymentStore store, CafeStore cafes, PaymentGateways gateways, EventBus bus, Clock clock,
      Transactions transactions) {
    this.transactions = transactions;
    this.store = store;
    this.cafes = cafes;
    this.gateways = gateways;
    this.events = new PaymentEvents(bus);
    this.clock = clock;
  }

  /** A started payment and, for a QR bank transfer, the code to show the customer. */
  public record Started(Payment payment, Optional<QrCode> qr, boolean created) {}

  /**
   * Starts paying {@code orderId}. With an {@code idempotencyKey} seen before for the same request,
   * returns that payment (calling its gateway again only if the first call never got through).
   *
   * @throws PaymentRefusedException if the order cannot take this payment
   * @throws UnsupportedPaymentMethodException if the method is off
   */
  public Started start(Device device, UUID orderId, StartPayment request, String idempotencyKey) {
    checkShape(request);
    PaymentGateway gateway = gateways.gatewayFor(request.method());
    String key = idempotencyKey;
    if (key != null) {
      Optional<Payment> earlier = store.findByIdempotencyKey(device.cafeId(), key);
      if (earlier.isPresent()) {
        if (!request.matches(earlier.get(), orderId)) {
          throw new PaymentRefusedException(Kind.INVALID, "idempotency_key_reused",
              "This Idempotency-Key was already used for a different payment", null);
        }
        return resume(earlier.get(), gateway);
      }
    }
    Cafe cafe = cafes.find(device.cafeId()).orElseThrow(() -> new NotFoundException("No cafe " + device.cafeId()));
    Instant now = now();
    UUID paymentId = TimeOrderedIds.next(now);
    record Opened(Payment payment, Order before, Order after) {}
    Opened opened;
    try {
      opened = store.locked(orderId, snapshot -> {
        Order order = snapshot.order();
        if (!order.cafeId().equals(device.cafeId())) {
          throw new NotFoundException("No order " + orderId);
        }
        Payment payment = newPayment(cafe, order, snapshot.payments(), request, paymentId, key, now);
        Order after = order.status() == OrderStatus.CREATED ? order.moveTo(OrderStatus.PAYMENT_PENDING, now) : order;
        return new Outcome<>(after, List.of(payment), List.of(), device.id().toString(), new Opened(payment, order, after));
      }).orElseThrow(() -> new NotFoundException("No order " + orderId));
    } catch (PaymentStore.DuplicateKeyException raced) {
      // The same request arrived twice at once; the other one stored it first.
      return start(device, orderId, request, idempotencyKey);
    }
    events.published(null, opened.payment(), opened.before(), opened.after(), now);
    return callGateway(opened.payment(), opened.after().orderNumber(), cafe, gateway, true);
  }

  /** Refuses a request of the wrong shape (no method, cash without tendered, …) before anything is stored. */
  public static void checkShape(StartPayment request) {
    List<FieldError> errors = new ArrayList<>();
    if (request.method() == null) {
      errors.add(new FieldError("method", "method_required", "Say how the customer pays, e.g. \"method\":\"CASH\""));
    }
    if (request.amount() != null && request.amount() <= 0) {
      errors.add(new FieldError("amount", "bad_amount", "An amount must be a positive number of minor units"));
    }
    if (request.method() == PaymentMethod.CASH && (request.tendered() == null || request.tendered() < 0)) {
      errors.add(new FieldError("tendered", "tendered_required", "A cash payment needs the amount tendered"));
    }
    if (request.method() != PaymentMethod.CASH && request.tendered() != null) {
      errors.add(new FieldError("tendered", "tendered_not_allowed", "Only a cash payment has an amount tendered"));
    }
    if (request.method() == PaymentMethod.CUSTOMER_CREDIT && (request.creditAccountId() == null || request.creditAccountId().isBlank())) {
      errors.add(new FieldError("creditAccountId", "credit_account_required", "A credit payment needs the customer's account"));
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
  }

  /** The new PENDING payment, or a refusal if the order cannot take it. Runs under the order lock. */
  private static Payment newPayment(Cafe cafe, Order order, List<Payment> payments, StartPayment request, UUID id, String key,
      Instant now) {
    if (order.status() != OrderStatus.CREATED && order.status() != OrderStatus.PAYMENT_PENDING) {
      throw new PaymentRefusedException(Kind.CONFLICT, "order_not_payable",
          "Order " + order.orderNumber() + " is " + order.status() + " and takes no payment", Map.of("status", order.status().name()));
    }
    Money outstanding = Coverage.outstanding(order, payments);
    if (outstanding.isZero()) {
      throw new PaymentRefusedException(Kind.CONFLICT, "nothing_outstanding",
          "Order " + order.orderNumber() + " is covered by its payments (some may still be in progress)", Map.of("outstanding", 0L));
    }
    Money wanted = request.amount() == null ? outstanding : new Money(request.amount(), order.total().currency());
    Money tendered = null;
    Money change = null;
    Money amount = wanted;
    if (request.method() == PaymentMethod.CASH) {
      Money applied = wanted.compareTo(outstanding) > 0 ? outstanding : wanted;
      Money due = applied.equals(outstanding) ? cafe.roundForCash(applied) : applied;
      tendered = new Money(request.tendered(), order.total().currency());
      if (tendered.compareTo(due) >= 0) {
        amount = applied;
        change = tendered.minus(due);
      } else if (tendered.isZero()) {
        throw new ValidationException(List.of(new FieldError("tendered", "tendered_required", "Nothing was tendered")));
      } else {
        amount = tendered;
        change = Money.zero(tendered.currency());
      }
    } else if (wanted.compareTo(outstanding) > 0) {
      throw new PaymentRefusedException(Kind.INVALID, "overpayment", "This payment of " + wanted + " is more than the "
          + outstanding + " outstanding on order " + order.orderNumber(), Map.of("outstanding", outstanding.minorUnits()));
    }
    return new Payment(id, order.id(), order.cafeId(), request.method(), amount, PaymentStatus.PENDING,
        Money.zero(amount.currency()), null, null, key, null, tendered, change,
        request.method() == PaymentMethod.CUSTOMER_CREDIT ? request.creditAccountId() : null, null, null, null, now, now);
  }

  /** A retried start: calls the gateway again only if the first call never got a transaction id. */
  private Started resume(Payment payment, PaymentGateway gateway) {
    if (payment.status() == PaymentStatus.PENDING && payment.gatewayTransactionId() == null) {
      Cafe cafe = cafes.find(payment.cafeId()).orElseThrow();
      int number = store.locked(payment.orderId(), s -> Outcome.nothing(s.order(), s.order().orderNumber())).orElse(0);
      return callGateway(payment, number, cafe, gateway, false);
    }
    return new Started(payment, qrFor(payment, gateway), false);
  }

  private Started callGateway(Payment payment, int orderNumber, Cafe cafe, PaymentGateway gateway, boolean created) {
    PaymentRequest request = requestFor(payment, orderNumber, cafe);
    GatewayPayment result;
    try {
      result = gateway.initiatePayment(request);
    } catch (GatewayException e) {
      if (e.retryable()) {
        update(payment.id(), p -> p.status().isOpen() ? p.withGatewayResult(null, null, e.getMessage(), now()) : p);
        throw new PaymentRefusedException(Kind.UNAVAILABLE, "gateway_unavailable", "The payment provider did not answer: "
            + e.getMessage() + ". Retry with the same Idempotency-Key, or cancel the payment.", Map.of("paymentId", payment.id().toString()));
      }
      Payment failed = update(payment.id(), p -> p.status().isOpen()
          ? p.moveTo(PaymentStatus.FAILED, now()).withGatewayResult(p.gatewayTransactionId(), null, e.getMessage(), now()) : p);
      return new Started(failed, Optional.empty(), created);
    }
    Payment recorded = update(payment.id(), p -> p.withGatewayResult(result.transactionId(), result.redirectUrl(), result.message(), now()));
    Payment settled = result.status() == PaymentStatus.PENDING ? recorded : settle(recorded.id(), result.status(), null);
    return new Started(settled, qrFor(settled, gateway, request), created);
  }

  private Optional<QrCode> qrFor(Payment payment, PaymentGateway gateway) {
    if (payment.method() != PaymentMethod.QR_CODE_BANK_TRANSFER || !payment.status().isOpen()) {
      return Optional.empty();
    }
    Cafe cafe = cafes.find(payment.cafeId()).orElseThrow();
    int number = store.locked(payment.orderId(), s -> Outcome.nothing(s.order(), s.order().orderNumber())).orElse(0);
    return qrFor(payment, gateway, requestFor(payment, number, cafe));
  }

  private static Optional<QrCode> qrFor(Payment payment, PaymentGateway gateway, PaymentRequest request) {
    return payment.method() == PaymentMethod.QR_CODE_BANK_TRANSFER && payment.status().isOpen()
        ? gateway.generateQrCode(request) : Optional.empty();
  }

  /** The QR code of an open bank-transfer payment, for the customer display. */
  public Optional<QrCode> qrCode(String cafeId, UUID paymentId) {
    Payment payment = get(cafeId, paymentId);
    if (payment.method() != PaymentMethod.QR_CODE_BANK_TRANSFER) {
      return Optional.empty();
    }
    return qrFor(payment, gateways.gatewayFor(payment.method()));
  }

  static PaymentRequest requestFor(Payment payment, int orderNumber, Cafe cafe) {
    return new PaymentRequest(payment.id(), payment.orderId(), payment.cafeId(), orderNumber, payment.method(), payment.amount(),
        "tt-pay-" + payment.id(), cafe.name() + " order " + orderNumber, payment.creditAccountId(), null);
  }

  /**
   * Moves a payment to what its gateway reported (COMPLETED, FAILED, CANCELLED, EXPIRED) and the
   * order with it. A report the state machine does not allow (a late failure of a completed
   * payment) changes nothing. Money captured for an order that no longer needs it is flagged
   * OVERPAID for staff to refund.
   *
   * @param flag a note to keep with the payment, or null
   */
  public Payment settle(UUID paymentId, PaymentStatus reported, String flag) {
    Payment current = store.find(paymentId).orElseThrow(() -> new NotFoundException("No payment " + paymentId));
    Instant now = now();
    return transactions.run(() -> store.locked(current.orderId(), snapshot -> {
      Payment payment = snapshot.payment(paymentId).orElseThrow();
      if (payment.status() == reported || !payment.status().canMoveTo(reported)) {
        log.info("Payment {} is {}; ignoring the report {}", paymentId, payment.status(), reported);
        return Outcome.nothing(snapshot.order(), new Changed(payment, payment, snapshot.order(), snapshot.order()));
      }
      Payment moved = payment.moveTo(reported, now);
      if (reported == PaymentStatus.COMPLETED) {
        boolean needed = snapshot.order().status() == OrderStatus.PAYMENT_PENDING || snapshot.order().status() == OrderStatus.CREATED;
        List<Payment> others = snapshot.payments().stream().filter(p -> !p.id().equals(paymentId)).toList();
        Money capturedByOthers = Coverage.captured(snapshot.order(), others);
        if (!needed || capturedByOthers.compareTo(snapshot.order().total()) >= 0) {
          moved = moved.withFlag("OVERPAID", now);
        } else if (flag != null) {
          moved = moved.withFlag(flag, now);
        }
      } else if (flag != null) {
        moved = moved.withFlag(flag, now);
      }
      Order order = Coverage.settle(snapshot.order(), replace(snapshot.payments(), moved), now);
      return new Outcome<>(order, List.of(moved), List.of(), "payment:" + paymentId,
          new Changed(payment, moved, snapshot.order(), order));
    }).orElseThrow().publish(events, now));
  }

  /** A payment and its order before and after one locked change, published in its transaction. */
  private record Changed(Payment before, Payment after, Order orderBefore, Order orderAfter) {
    Payment publish(PaymentEvents events, Instant at) {
      events.published(before, after, orderBefore, orderAfter, at);
      return after;
    }
  }

  /** Puts a note for staff on a payment (UNDERPAID, LATE, …) without moving it. */
  public Payment flag(UUID paymentId, String flag) {
    return update(paymentId, p -> java.util.Objects.equals(p.flag(), flag) ? p : p.withFlag(flag, now()));
  }

  /** Staff confirm a bank transfer they can see on the cafe's account, with a reason. */
  public Payment confirm(Device device, UUID paymentId, String reason) {
    String why = reason(reason, true);
    Payment payment = get(device.cafeId(), paymentId);
    if (payment.method() != PaymentMethod.QR_CODE_BANK_TRANSFER) {
      throw new PaymentRefusedException(Kind.INVALID, "not_a_bank_transfer", "Only bank transfers are confirmed by hand", null);
    }
    if (!payment.status().canMoveTo(PaymentStatus.COMPLETED)) {
      throw new PaymentRefusedException(Kind.CONFLICT, "not_confirmable", "This payment is " + payment.status(), null);
    }
    Instant now = now();
    return transactions.run(() -> store.locked(payment.orderId(), snapshot -> {
      Payment current = snapshot.payment(paymentId).orElseThrow();
      Payment confirmed = current.confirmedByHand(device.id().toString(), why, now);
      Order order = Coverage.settle(snapshot.order(), replace(snapshot.payments(), confirmed), now);
      return new Outcome<>(order, List.of(confirmed), List.of(), device.id().toString(),
          new Changed(current, confirmed, snapshot.order(), order));
    }).orElseThrow().publish(events, now));
  }

  /** Gives up on an open payment (the customer walked away from the card machine). */
  public Payment cancel(Device device, UUID paymentId) {
    Payment payment = get(device.cafeId(), paymentId);
    if (!payment.status().isOpen()) {
      throw new PaymentRefusedException(Kind.CONFLICT, "not_cancellable", "This payment is " + payment.status(), null);
    }
    return settle(paymentId, PaymentStatus.CANCELLED, null);
  }

  /** Asks the gateway where an open payment stands and settles it accordingly (reconciliation). */
  public Payment verify(UUID paymentId) {
    Payment payment = store.find(paymentId).orElseThrow(() -> new NotFoundException("No payment " + paymentId));
    if (!payment.status().isOpen() || payment.gatewayTransactionId() == null) {
      return payment;
    }
    GatewayPayment seen = gateways.gatewayFor(payment.method()).verifyPayment(payment.gatewayTransactionId());
    return seen.status() == payment.status() || seen.status() == PaymentStatus.PENDING || seen.status() == PaymentStatus.PROCESSING
        ? payment : settle(paymentId, seen.status(), null);
  }

  public Payment get(String cafeId, UUID paymentId) {
    return store.find(paymentId).filter(p -> p.cafeId().equals(cafeId))
        .orElseThrow(() -> new NotFoundException("No payment " + paymentId));
  }

  public List<Payment> forOrder(String cafeId, UUID orderId) {
    return store.forOrder(orderId).stream().filter(p -> p.cafeId().equals(cafeId)).toList();
  }

  static String reason(String reason, boolean required) {
    String trimmed = reason == null ? "" : reason.strip();
    if (trimmed.isEmpty() && required) {
      throw ValidationException.of("reason", "reason_required", "Say why (at most " + MAX_REASON_LENGTH + " characters)");
    }
    if (trimmed.length() > MAX_REASON_LENGTH) {
      throw ValidationException.of("reason", "reason_too_long", "A reason has at most " + MAX_REASON_LENGTH + " characters");
    }
    return trimmed.isEmpty() ? null : trimmed;
  }

  private Payment update(UUID paymentId, java.util.function.UnaryOperator<Payment> change) {
    Payment current = store.find(paymentId).orElseThrow();
    return store.locked(current.orderId(), snapshot -> {
      Payment changed = change.apply(snapshot.payment(paymentId).orElseThrow());
      return new Outcome<>(snapshot.order(), List.of(changed), List.of(), "system", changed);
    }).orElseThrow();
  }

  static List<Payment> replace(List<Payment> payments, Payment changed) {
    return payments.stream().map(p -> p.id().equals(changed.id()) ? changed : p).toList();
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
