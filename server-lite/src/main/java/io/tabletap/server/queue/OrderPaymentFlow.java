package io.tabletap.server.queue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The seed's {@code orchestrateOrderPayment} as a {@link Flow}: initiate the payment; one second
 * after the payment job completed, update the order's status; notify that the payment started.
 * The three jobs share the flow id, which is also in each job's data ({@code flowId}). Handlers
 * for the three job names are the application's to register.
 *
 * <pre>
 * step "payment"       payment-processing  initiate_payment          {orderId, cafeId, amount, currency, paymentMethod, flowId}
 * step "order_status"  order-processing    update_order_status       {orderId, cafeId, newStatus, flowId}   after "payment", +1 s
 * step "notification"  notification-queue  notify_payment_initiated  {orderId, cafeId, customerId, flowId}
 * </pre>
 */
public final class OrderPaymentFlow {
  public static final String PAYMENT = "payment";
  public static final String ORDER_STATUS = "order_status";
  public static final String NOTIFICATION = "notification";
  public static final String INITIATE_PAYMENT = "initiate_payment";
  public static final String UPDATE_ORDER_STATUS = "update_order_status";
  public static final String NOTIFY_PAYMENT_INITIATED = "notify_payment_initiated";
  /** The order status job waits this long after the payment job completed. */
  public static final Duration ORDER_STATUS_DELAY = Duration.ofSeconds(1);

  private OrderPaymentFlow() {}

  /**
   * What the flow needs to know of the order. Money is minor units with its currency.
   *
   * @param newStatus the order status the second step sets, e.g. {@code PAYMENT_PENDING}
   * @param customerId who to notify, or null
   * @param priority of the payment job (lower runs sooner)
   */
  public record Request(
      UUID orderId, String cafeId, long amount, String currency, String paymentMethod, String newStatus,
      String customerId, int priority) {
    public Request {
      Objects.requireNonNull(orderId, "orderId");
      Objects.requireNonNull(cafeId, "cafeId");
      Objects.requireNonNull(currency, "currency");
      Objects.requireNonNull(paymentMethod, "paymentMethod");
      Objects.requireNonNull(newStatus, "newStatus");
    }
  }

  /** The flow for {@code r} under {@code flowId} (adding it twice adds it once). */
  public static Flow of(String flowId, Request r) {
    Flow.Builder flow = Flow.builder(flowId);
    Map<String, Object> payment = data(r, flow.flowId());
    payment.put("amount", r.amount());
    payment.put("currency", r.currency());
    payment.put("paymentMethod", r.paymentMethod());
    Map<String, Object> status = data(r, flow.flowId());
    status.put("newStatus", r.newStatus());
    Map<String, Object> notify = data(r, flow.flowId());
    notify.put("customerId", r.customerId());
    return flow
        .step(PAYMENT, JobSpec.builder(DefaultQueues.PAYMENT_PROCESSING, INITIATE_PAYMENT).dataOf(payment)
            .priority(r.priority()).build())
        .step(ORDER_STATUS, JobSpec.builder(DefaultQueues.ORDER_PROCESSING, UPDATE_ORDER_STATUS).dataOf(status)
            .delay(ORDER_STATUS_DELAY).build(), PAYMENT)
        .step(NOTIFICATION, JobSpec.builder(DefaultQueues.NOTIFICATION_QUEUE, NOTIFY_PAYMENT_INITIATED).dataOf(notify)
            .build())
        .build();
  }

  private static Map<String, Object> data(Request r, String flowId) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("orderId", r.orderId().toString());
    data.put("cafeId", r.cafeId());
    data.put("flowId", flowId);
    return data;
  }
}
