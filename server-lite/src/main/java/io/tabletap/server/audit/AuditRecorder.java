package io.tabletap.server.audit;

import io.tabletap.server.domain.Payment;
import io.tabletap.server.domain.PaymentCompleted;
import io.tabletap.server.domain.PaymentFailed;
import io.tabletap.server.domain.PaymentInitiated;
import io.tabletap.server.domain.PaymentRefunded;
import io.tabletap.server.domain.Refund;
import io.tabletap.server.event.EventBus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the payment events of the {@link EventBus} into the {@link AuditLog}: one row per status
 * change of a payment and one per completed refund.
 *
 * <table>
 *   <tr><th>event</th><th>type</th><th>actor</th><th>dedupe key</th></tr>
 *   <tr><td>PaymentInitiated</td><td>payment.status_changed (PENDING)</td><td>system</td><td>payment:&lt;id&gt;:PENDING</td></tr>
 *   <tr><td>PaymentCompleted</td><td>payment.status_changed (COMPLETED)</td><td>system</td><td>payment:&lt;id&gt;:COMPLETED</td></tr>
 *   <tr><td>PaymentCompleted of a payment confirmed by hand</td><td>payment.confirmed_by_hand, reason: theirs</td>
 *       <td>the confirming device</td><td>payment:&lt;id&gt;:COMPLETED</td></tr>
 *   <tr><td>PaymentFailed</td><td>payment.status_changed (FAILED, CANCELLED or EXPIRED), reason: the error</td><td>system</td><td>payment:&lt;id&gt;:&lt;status&gt;</td></tr>
 *   <tr><td>PaymentRefunded</td><td>refund.completed, reason: the refund's</td><td>the refunding device</td>
 *       <td>refund:&lt;refund id&gt;:COMPLETED</td></tr>
 * </table>
 *
 * <p>A payment reaches each of these statuses at most once, so the keys make a replayed event
 * write nothing. The subject is always the payment id, so {@code ?subject=<payment id>} lists a
 * payment's whole story. Runs on the publishing thread, after the change was committed: if the
 * database fails here the event bus logs it and the row is missing (decision 0013 says how that
 * could be closed).
 */
public final class AuditRecorder implements AutoCloseable {
  private final AuditLog log;
  private final List<EventBus.Subscription> subscriptions;

  private AuditRecorder(AuditLog log, EventBus bus) {
    this.log = log;
    this.subscriptions = List.of(
        bus.subscribe(PaymentInitiated.class, e -> record(e.payment(), "PENDING", e.occurredAt())),
        bus.subscribe(PaymentCompleted.class, this::completed),
        bus.subscribe(PaymentFailed.class, e -> record(e.payment(), e.payment().status().name(), e.occurredAt())),
        bus.subscribe(PaymentRefunded.class, this::refunded));
  }

  /** Starts recording {@code bus}'s payment events into {@code log} until {@link #close()}. */
  public static AuditRecorder subscribe(EventBus bus, AuditLog log) {
    return new AuditRecorder(log, bus);
  }

  private void completed(PaymentCompleted e) {
    Payment p = e.payment();
    if (p.confirmedBy() == null) {
      record(p, "COMPLETED", e.occurredAt());
      return;
    }
    log.record(AuditEntry.of(AuditTypes.PAYMENT_CONFIRMED_BY_HAND, p.confirmedBy(), p.id().toString())
        .withReason(p.confirmReason())
        .withCafe(p.cafeId())
        .withDetails(paymentDetails(p))
        .withDedupeKey(paymentKey(p, "COMPLETED"))
        .at(e.occurredAt()));
  }

  private void record(Payment p, String status, Instant at) {
    String reason = status.equals("FAILED") ? shorten(p.errorMessage()) : null;
    log.record(AuditEntry.of(AuditTypes.PAYMENT_STATUS_CHANGED, AuditEntry.SYSTEM, p.id().toString())
        .withReason(reason)
        .withCafe(p.cafeId())
        .withDetails(paymentDetails(p))
        .withDedupeKey(paymentKey(p, status))
        .at(at));
  }

  private void refunded(PaymentRefunded e) {
    Payment p = e.payment();
    Refund r = e.refund();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("refundId", r.id().toString());
    details.put("orderId", p.orderId().toString());
    details.put("method", p.method().name());
    details.put("amount", r.amount().minorUnits());
    details.put("currency", r.amount().currency().getCurrencyCode());
    details.put("paymentStatus", p.status().name());
    details.put("refundedTotal", p.refunded().minorUnits());
    putIfPresent(details, "gatewayRefundId", r.gatewayRefundId());
    log.record(AuditEntry.of(AuditTypes.REFUND_COMPLETED, r.actor() == null ? AuditEntry.SYSTEM : r.actor(), p.id().toString())
        .withReason(shorten(r.reason()))
        .withCafe(p.cafeId())
        .withDetails(details)
        .withDedupeKey("refund:" + r.id() + ":COMPLETED")
        .at(e.occurredAt()));
  }

  /** The payment's ids, amounts and status; never its redirect URL or the client's idempotency key. */
  private static Map<String, Object> paymentDetails(Payment p) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("orderId", p.orderId().toString());
    details.put("method", p.method().name());
    details.put("status", p.status().name());
    details.put("amount", p.amount().minorUnits());
    details.put("currency", p.amount().currency().getCurrencyCode());
    putIfPresent(details, "transactionId", p.gatewayTransactionId());
    putIfPresent(details, "creditAccountId", p.creditAccountId());
    putIfPresent(details, "flag", p.flag());
    if (p.tendered() != null) {
      details.put("tendered", p.tendered().minorUnits());
    }
    if (p.change() != null) {
      details.put("change", p.change().minorUnits());
    }
    return details;
  }

  private static String paymentKey(Payment p, String status) {
    return "payment:" + p.id() + ":" + status;
  }

  private static void putIfPresent(Map<String, Object> details, String key, String value) {
    if (value != null) {
      details.put(key, value);
    }
  }

  private static String shorten(String text) {
    return text == null || text.length() <= AuditEntry.MAX_REASON_LENGTH ? text : text.substring(0, AuditEntry.MAX_REASON_LENGTH);
  }

  /** Stops recording; closing twice is harmless. */
  @Override
  public void close() {
    subscriptions.forEach(EventBus.Subscription::close);
  }
}
