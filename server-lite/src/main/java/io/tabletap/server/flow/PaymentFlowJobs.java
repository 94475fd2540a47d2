package io.tabletap.server.flow;

import com.fasterxml.jackson.databind.JsonNode;
import io.tabletap.server.device.AccessDeniedException;
import io.tabletap.server.device.Device;
import io.tabletap.server.domain.IllegalTransitionException;
import io.tabletap.server.domain.NotFoundException;
import io.tabletap.server.domain.Order;
import io.tabletap.server.domain.OrderStatus;
import io.tabletap.server.domain.Payment;
import io.tabletap.server.domain.ValidationException;
import io.tabletap.server.order.OrderService;
import io.tabletap.server.payment.PaymentRefusedException;
import io.tabletap.server.payment.PaymentService;
import io.tabletap.server.payment.StartPayment;
import io.tabletap.server.payment.UnsupportedPaymentMethodException;
import io.tabletap.server.queue.DefaultQueues;
import io.tabletap.server.queue.Job;
import io.tabletap.server.queue.JobContext;
import io.tabletap.server.queue.OrderPaymentFlow;
import io.tabletap.server.queue.Queues;
import io.tabletap.server.queue.UnrecoverableJobException;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The handlers of the three {@link OrderPaymentFlow} jobs. Each is idempotent: a job may run more
 * than once (a stall, a crash after the work), and running it again changes nothing more.
 *
 * <ul>
 *   <li>{@code initiate_payment}: starts the payment with {@link PaymentService#start} for the till
 *       that asked, idempotency key {@code "flow:" + flowId} (a second run finds the first payment).
 *       Progress 10 (running), 50 (the payment is started and recorded), 80 (its state is synced and
 *       {@code payment_initiated} sent: both happen inside the start, through the
 *       {@code PaymentInitiated} event), 100 (done). A payment the gateway refuses (declined,
 *       insufficient credit, unknown credit account) is a FAILED <em>payment</em>, and the job
 *       completes: the flow did its work and the payment's status says how it went. The job fails
 *       for good when the start itself is refused (the order takes no payment any more,
 *       overpayment, nothing outstanding, an unsupported method, a request of the wrong shape, the
 *       device or order gone); it is retried (payment-processing: 3 attempts, 2 s, 4 s) while the
 *       provider is unreachable.
 *   <li>{@code update_order_status}: moves the order to the status the flow asked for if the state
 *       machine allows it; an order already there, or past it (a cash payment made it PAID), or
 *       CANCELLED, is left as it is.
 *   <li>{@code notify_payment_initiated}: the {@code payment_initiated} notice to
 *       {@code order:{orderId}} is already sent by the payment step when the payment is recorded
 *       (it cannot be sent before: this step runs beside the payment, not after it), and
 *       server-lite has no channel to a customer; so it logs and completes.
 * </ul>
 */
public final class PaymentFlowJobs {
  private static final Logger log = LoggerFactory.getLogger(PaymentFlowJobs.class);
  /** The shape of the jobs' data this code reads. */
  static final int PAYLOAD_VERSION = 1;

  private final PaymentService payments;
  private final OrderService orders;
  private final Function<UUID, Optional<Device>> devices;

  /** @param devices finds a device by id (revoked ones too: the request was made while it was paired) */
  public PaymentFlowJobs(PaymentService payments, OrderService orders, Function<UUID, Optional<Device>> devices) {
    this.payments = payments;
    this.orders = orders;
    this.devices = devices;
  }

  /** Registers the three handlers; call before {@code queues.start()}. */
  public void register(Queues queues) {
    queues.queue(DefaultQueues.PAYMENT_PROCESSING).handle(OrderPaymentFlow.INITIATE_PAYMENT, this::initiatePayment);
    queues.queue(DefaultQueues.ORDER_PROCESSING).handle(OrderPaymentFlow.UPDATE_ORDER_STATUS, this::updateOrderStatus);
    queues.queue(DefaultQueues.NOTIFICATION_QUEUE).handle(OrderPaymentFlow.NOTIFY_PAYMENT_INITIATED, this::notifyPaymentInitiated);
  }

  void initiatePayment(Job job, JobContext ctx) {
    JsonNode data = checked(job);
    ctx.progress(10);
    Device device = device(job);
    UUID orderId = uuid(job, "orderId");
    StartPayment request = PaymentFlows.read(data.path("request"));
    if (request == null) {
      throw new UnrecoverableJobException("Job " + job.id() + " has no readable payment request");
    }
    PaymentService.Started started;
    try {
      started = payments.start(device, orderId, request, PaymentFlows.paymentKey(flowId(job)));
    } catch (PaymentRefusedException e) {
      if (e.kind() == PaymentRefusedException.Kind.UNAVAILABLE) {
        throw new IllegalStateException(e.code() + ": " + e.getMessage(), e); // retried
      }
      throw new UnrecoverableJobException(e.code() + ": " + e.getMessage(), e);
    } catch (ValidationException | NotFoundException | UnsupportedPaymentMethodException | AccessDeniedException e) {
      throw new UnrecoverableJobException(e.getMessage(), e);
    }
    ctx.progress(50);
    Payment payment = started.payment();
    ctx.progress(80);
    log.info("Flow {}: payment {} of order {} is {}{}", flowId(job), payment.id(), orderId, payment.status(),
        started.created() ? "" : " (started by an earlier run)");
    ctx.progress(100);
  }

  void updateOrderStatus(Job job, JobContext ctx) {
    JsonNode data = checked(job);
    Device device = device(job);
    UUID orderId = uuid(job, "orderId");
    OrderStatus target;
    try {
      target = OrderStatus.valueOf(data.path("newStatus").asText());
    } catch (IllegalArgumentException e) {
      throw new UnrecoverableJobException("Job " + job.id() + " asks for an unknown order status", e);
    }
    ctx.progress(10);
    try {
      Order order = orders.get(device.cafeId(), orderId);
      if (order.status() == target) {
        log.info("Flow {}: order {} is {} already", flowId(job), orderId, target);
      } else if (order.status().canMoveTo(target)) {
        move(device, orderId, target, job);
      } else {
        log.info("Flow {}: order {} is {}; not moving it to {}", flowId(job), orderId, order.status(), target);
      }
    } catch (NotFoundException | AccessDeniedException e) {
      throw new UnrecoverableJobException(e.getMessage(), e);
    }
    ctx.progress(100);
  }

  private void move(Device device, UUID orderId, OrderStatus target, Job job) {
    try {
      orders.transition(device, orderId, target);
      log.info("Flow {}: order {} moved to {}", flowId(job), orderId, target);
    } catch (IllegalTransitionException raced) {
      // it moved in between (a payment, a cancel): whatever it is now, it is not ours to change
      log.info("Flow {}: order {} moved meanwhile; not moving it to {}", flowId(job), orderId, target);
    }
  }

  void notifyPaymentInitiated(Job job, JobContext ctx) {
    checked(job);
    log.info("Flow {}: order {} notified of its payment (payment_initiated goes to its room from the payment step)",
        flowId(job), uuid(job, "orderId"));
    ctx.progress(100);
  }

  private static JsonNode checked(Job job) {
    if (job.payloadVersion() != PAYLOAD_VERSION) {
      throw new UnrecoverableJobException("Job " + job.id() + " has data version " + job.payloadVersion()
          + "; this server reads " + PAYLOAD_VERSION);
    }
    return job.data();
  }

  private Device device(Job job) {
    UUID id = uuid(job, "deviceId");
    return devices.apply(id).filter(d -> d.cafeId().equals(job.cafeId()))
        .orElseThrow(() -> new UnrecoverableJobException("Job " + job.id() + ": no device " + id + " in cafe " + job.cafeId()));
  }

  private static UUID uuid(Job job, String field) {
    try {
      return UUID.fromString(job.data().path(field).asText());
    } catch (IllegalArgumentException e) {
      throw new UnrecoverableJobException("Job " + job.id() + " has no " + field, e);
    }
  }

  private static String flowId(Job job) {
    return job.flowId() != null ? job.flowId() : job.data().path("flowId").asText();
  }
}
