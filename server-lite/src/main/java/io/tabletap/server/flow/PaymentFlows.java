package io.tabletap.server.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tabletap.server.device.Device;
import io.tabletap.server.domain.NotFoundException;
import io.tabletap.server.domain.Order;
import io.tabletap.server.domain.OrderStatus;
import io.tabletap.server.domain.Payment;
import io.tabletap.server.domain.ValidationException;
import io.tabletap.server.json.Json;
import io.tabletap.server.order.OrderService;
import io.tabletap.server.payment.PaymentRefusedException;
import io.tabletap.server.payment.PaymentService;
import io.tabletap.server.payment.StartPayment;
import io.tabletap.server.queue.Flow;
import io.tabletap.server.queue.Flows;
import io.tabletap.server.queue.Job;
import io.tabletap.server.queue.OrderPaymentFlow;
import io.tabletap.server.queue.Queues;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The cashier's way to pay an order through the seed's order-payment flow
 * ({@link OrderPaymentFlow}: initiate the payment; one second after it completed, confirm the
 * order's status; notify), run by the durable job queues with the handlers of
 * {@link PaymentFlowJobs}. Thread-safe.
 *
 * <p>Each job's data carries, besides the flow's own fields, the {@code deviceId} of the till that
 * asked (the jobs act on its behalf); the payment step also carries the till's {@code request}
 * exactly as sent ({@code {"method","amount","tendered","creditAccountId"}}). The payment's
 * idempotency key is {@code "flow:" + flowId}, so a payment job that runs twice starts one payment.
 */
public final class PaymentFlows {
  /** The order status the flow's second step asks for (the seed's). */
  static final OrderStatus FLOW_ORDER_STATUS = OrderStatus.PAYMENT_PENDING;
  static final int MAX_IDEMPOTENCY_KEY_LENGTH = OrderService.MAX_IDEMPOTENCY_KEY_LENGTH;

  private final Queues queues;
  private final OrderService orders;
  private final PaymentService payments;

  public PaymentFlows(Queues queues, OrderService orders, PaymentService payments) {
    this.queues = queues;
    this.orders = orders;
    this.payments = payments;
  }

  /** One step of a flow as the cashier sees it. {@code progress} is the job's last report, 0 to 100. */
  public record StepView(String step, UUID jobId, String jobType, String queue, String status, int progress,
      int attemptsMade, String failedReason, Instant runAt, Instant startedAt, Instant finishedAt) {}

  /**
   * A payment flow. {@code status}: RUNNING, COMPLETED or FAILED. {@code paymentId} and
   * {@code paymentStatus}: the payment the flow started, once it did (else null).
   */
  public record FlowView(String flowId, UUID orderId, String status, boolean created, UUID paymentId, String paymentStatus,
      List<StepView> jobs) {}

  /** The payment idempotency key of the flow's payment job. */
  public static String paymentKey(String flowId) {
    return "flow:" + flowId;
  }

  /**
   * Starts a payment flow for {@code orderId} on behalf of {@code device}. With an
   * {@code idempotencyKey} used before by this cafe for the same request, returns that flow
   * ({@code created} false) and adds nothing.
   *
   * @throws ValidationException for a request of the wrong shape or a bad key
   * @throws NotFoundException if the order is not this cafe's
   * @throws PaymentRefusedException {@code order_not_payable} if the order takes no payment now,
   *     {@code idempotency_key_reused} for a key used for another request
   */
  public FlowView start(Device device, UUID orderId, StartPayment request, String idempotencyKey) {
    PaymentService.checkShape(request);
    checkKey(idempotencyKey);
    String flowId = idempotencyKey == null ? UUID.randomUUID().toString() : flowIdFor(device.cafeId(), idempotencyKey);
    Optional<FlowView> earlier = find(device.cafeId(), flowId);
    if (earlier.isPresent()) {
      return sameRequest(earlier.get(), flowId, orderId, request);
    }
    Order order = orders.get(device.cafeId(), orderId);
    if (order.status() != OrderStatus.CREATED && order.status() != OrderStatus.PAYMENT_PENDING) {
      throw new PaymentRefusedException(PaymentRefusedException.Kind.CONFLICT, "order_not_payable",
          "Order " + order.orderNumber() + " is " + order.status() + " and takes no payment", Map.of("status", order.status().name()));
    }
    long amount = request.amount() != null ? request.amount() : order.total().minorUnits();
    Flow base = OrderPaymentFlow.of(flowId, new OrderPaymentFlow.Request(orderId, device.cafeId(), amount,
        order.total().currency().getCurrencyCode(), request.method().name(), FLOW_ORDER_STATUS.name(), null, 0));
    Flow.Builder flow = Flow.builder(flowId);
    for (Flow.Step step : base.steps()) {
      ObjectNode data = step.spec().data().deepCopy();
      data.put("deviceId", device.id().toString());
      if (step.key().equals(OrderPaymentFlow.PAYMENT)) {
        data.set("request", Json.mapper().valueToTree(request));
      }
      flow.step(step.key(), step.spec().toBuilder().data(data).build(), step.after());
    }
    Flows.FlowAdded added = queues.flows().add(flow.build());
    FlowView view = find(device.cafeId(), flowId).orElseThrow();
    return added.created() ? view : sameRequest(view, flowId, orderId, request);
  }

  /** The flow, if it is one of this cafe's. */
  public Optional<FlowView> find(String cafeId, String flowId) {
    return queues.flows().find(flowId)
        .filter(state -> !state.jobs().isEmpty() && state.jobs().stream().allMatch(j -> cafeId.equals(j.cafeId())))
        .map(state -> view(cafeId, state));
  }

  /** @throws NotFoundException if there is no such flow in this cafe */
  public FlowView get(String cafeId, String flowId) {
    return find(cafeId, flowId).orElseThrow(() -> new NotFoundException("No flow " + flowId));
  }

  private FlowView view(String cafeId, Flows.FlowState state) {
    List<StepView> steps = state.jobs().stream().map(j -> new StepView(j.flowStep(), j.id(), j.name(), j.queue(),
        j.status().name(), j.progress(), j.attemptsMade(), j.failedReason(), j.runAt(), j.startedAt(), j.finishedAt())).toList();
    UUID orderId = state.jobs().stream().map(j -> j.data().path("orderId").asText(null)).filter(Objects::nonNull)
        .findFirst().map(UUID::fromString).orElse(null);
    Optional<Payment> payment = orderId == null ? Optional.empty() : payments.forOrder(cafeId, orderId).stream()
        .filter(p -> paymentKey(state.flowId()).equals(p.idempotencyKey())).findFirst();
    return new FlowView(state.flowId(), orderId, state.status(), true, payment.map(Payment::id).orElse(null),
        payment.map(p -> p.status().name()).orElse(null), steps);
  }

  /** The earlier flow of a retried request, or a refusal if the key was used for something else. */
  private FlowView sameRequest(FlowView earlier, String flowId, UUID orderId, StartPayment request) {
    Optional<JsonNode> asked = queues.flows().find(flowId).flatMap(s -> s.jobs().stream()
        .filter(j -> OrderPaymentFlow.PAYMENT.equals(j.flowStep())).findFirst()).map(Job::data).map(d -> d.get("request"));
    boolean same = orderId.equals(earlier.orderId()) && asked.isPresent() && request.equals(read(asked.get()));
    if (!same) {
      throw new PaymentRefusedException(PaymentRefusedException.Kind.INVALID, "idempotency_key_reused",
          "This Idempotency-Key was already used for a different payment flow", null);
    }
    return new FlowView(earlier.flowId(), earlier.orderId(), earlier.status(), false, earlier.paymentId(),
        earlier.paymentStatus(), earlier.jobs());
  }

  static StartPayment read(JsonNode request) {
    try {
      return Json.mapper().treeToValue(request, StartPayment.class);
    } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
      return null;
    }
  }

  /** The flow id of a cafe's Idempotency-Key: a name-based UUID, so it fits a {@code flow:} room name. */
  static String flowIdFor(String cafeId, String key) {
    return UUID.nameUUIDFromBytes(("payment-flow\n" + cafeId + "\n" + key).getBytes(StandardCharsets.UTF_8)).toString();
  }

  private static void checkKey(String key) {
    if (key == null) {
      return;
    }
    if (key.isBlank() || key.length() > MAX_IDEMPOTENCY_KEY_LENGTH || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw ValidationException.of("Idempotency-Key", "bad_idempotency_key",
          "Idempotency-Key must be 1 to " + MAX_IDEMPOTENCY_KEY_LENGTH + " printable ASCII characters");
    }
  }
}
