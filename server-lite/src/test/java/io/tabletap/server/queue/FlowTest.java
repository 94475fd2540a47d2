package io.tabletap.server.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The seed's order-payment flow on the default queues, step by step on a settable clock. */
class FlowTest {
  @TempDir Path dir;
  QueueHarness h;
  Queue payments;
  Queue orders;
  Queue notifications;
  final List<String> ran = new ArrayList<>();
  final AtomicBoolean paymentFails = new AtomicBoolean();

  @BeforeEach
  void open() {
    h = new QueueHarness(dir, DefaultQueues.all());
    payments = h.queue(DefaultQueues.PAYMENT_PROCESSING).handle(OrderPaymentFlow.INITIATE_PAYMENT, (job, ctx) -> {
      ctx.progress(10);
      if (paymentFails.get()) {
        throw new IllegalStateException("card declined by the gateway");
      }
      ctx.progress(50);
      ctx.progress(80);
      ctx.progress(100);
      ran.add("payment");
    });
    orders = h.queue(DefaultQueues.ORDER_PROCESSING).handle(OrderPaymentFlow.UPDATE_ORDER_STATUS,
        (job, ctx) -> ran.add("order_status " + job.data().get("newStatus").asText()));
    notifications = h.queue(DefaultQueues.NOTIFICATION_QUEUE).handle(OrderPaymentFlow.NOTIFY_PAYMENT_INITIATED,
        (job, ctx) -> ran.add("notification"));
  }

  @AfterEach
  void close() {
    h.close();
  }

  private Flows.FlowAdded addFlow() {
    return h.queues.flows().add(OrderPaymentFlow.of("flow-1", new OrderPaymentFlow.Request(UUID.randomUUID(), "demo", 1240,
        "AUD", "PAYCONIC_CARD", "PAYMENT_PENDING", "cust-7", 1)));
  }

  @Test
  void theOrderStatusJobRunsOnlyAfterThePaymentCompletedAndNotBeforeOneSecond() {
    Map<String, UUID> ids = addFlow().jobIds();
    UUID order = ids.get(OrderPaymentFlow.ORDER_STATUS);
    assertThat(h.job(order).status()).isEqualTo(JobStatus.BLOCKED);
    assertThat(h.job(ids.get(OrderPaymentFlow.PAYMENT)).data().get("flowId").asText()).isEqualTo("flow-1");

    h.advance(Duration.ofSeconds(5));
    assertThat(orders.runOnce()).as("blocked, however long we wait").isEmpty();
    assertThat(notifications.runOnce()).isPresent();

    h.advance(Duration.ofSeconds(3));
    Instant paid = h.clock.instant();
    Job payment = payments.runOnce().orElseThrow();
    assertThat(payment.status()).isEqualTo(JobStatus.COMPLETED);
    assertThat(payment.progress()).isEqualTo(100);
    assertThat(h.job(order).status()).isEqualTo(JobStatus.DELAYED);
    assertThat(h.job(order).runAt()).as("1 s after the payment completed").isEqualTo(paid.plusSeconds(1));

    h.advance(Duration.ofMillis(999));
    assertThat(orders.runOnce()).isEmpty();
    h.advance(Duration.ofMillis(1));
    assertThat(orders.runOnce().orElseThrow().status()).isEqualTo(JobStatus.COMPLETED);

    assertThat(ran).containsExactly("notification", "payment", "order_status PAYMENT_PENDING");
    List<FlowEvent> flow = h.eventsOf(FlowEvent.class);
    assertThat(flow).extracting(FlowEvent::name).containsExactly(FlowEvent.STEP_COMPLETED, FlowEvent.STEP_COMPLETED,
        FlowEvent.STEP_COMPLETED, FlowEvent.COMPLETED);
    assertThat(flow).extracting(FlowEvent::step).containsExactly(OrderPaymentFlow.NOTIFICATION, OrderPaymentFlow.PAYMENT,
        OrderPaymentFlow.ORDER_STATUS, null);
    assertThat(flow).allSatisfy(e -> {
      assertThat(e.flowId()).isEqualTo("flow-1");
      assertThat(e.cafeId()).isEqualTo("demo");
    });
    assertThat(h.eventsOf(JobEvent.class)).filteredOn(e -> e.name().equals(JobEvent.PROGRESS))
        .extracting(JobEvent::progress).containsExactly(10, 50, 80, 100);
    assertThat(h.queues.flows().find("flow-1").orElseThrow().status()).isEqualTo("COMPLETED");
  }

  @Test
  void whenThePaymentFailsForGoodTheOrderStatusJobIsCancelledAndTheFlowFails() {
    paymentFails.set(true);
    Map<String, UUID> ids = addFlow().jobIds();
    UUID payment = ids.get(OrderPaymentFlow.PAYMENT);

    payments.runOnce();
    h.advance(Duration.ofSeconds(2));
    payments.runOnce();
    h.advance(Duration.ofSeconds(4));
    Job failed = payments.runOnce().orElseThrow();
    notifications.runOnce();

    assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
    assertThat(failed.attemptsMade()).as("payment-processing: 3 attempts").isEqualTo(3);
    Job order = h.job(ids.get(OrderPaymentFlow.ORDER_STATUS));
    assertThat(order.status()).isEqualTo(JobStatus.FAILED);
    assertThat(order.failedReason()).isEqualTo("prerequisite failed");
    assertThat(h.job(ids.get(OrderPaymentFlow.NOTIFICATION)).status()).as("not a dependant").isEqualTo(JobStatus.COMPLETED);
    assertThat(ran).containsExactly("notification");
    assertThat(h.eventsOf(FlowEvent.class)).extracting(FlowEvent::name).containsExactly(FlowEvent.FAILED,
        FlowEvent.STEP_COMPLETED);
    assertThat(h.eventsOf(FlowEvent.class).get(0).jobId()).isEqualTo(payment);
    assertThat(h.eventNamesFor(order.id())).containsExactly(JobEvent.ADDED, JobEvent.FAILED);
    assertThat(h.queues.flows().find("flow-1").orElseThrow().status()).isEqualTo("FAILED");
  }

  @Test
  void retryingTheFailedPaymentBringsBackItsCancelledDependantAndTheFlowCompletes() {
    paymentFails.set(true);
    Map<String, UUID> ids = addFlow().jobIds();
    payments.runOnce();
    h.advance(Duration.ofSeconds(2));
    payments.runOnce();
    h.advance(Duration.ofSeconds(4));
    payments.runOnce();
    notifications.runOnce();
    paymentFails.set(false);

    Job retried = h.queues.admin().retry(ids.get(OrderPaymentFlow.PAYMENT), null);

    assertThat(retried.status()).isEqualTo(JobStatus.WAITING);
    assertThat(retried.attemptsMade()).isZero();
    assertThat(h.job(ids.get(OrderPaymentFlow.ORDER_STATUS)).status()).isEqualTo(JobStatus.BLOCKED);
    assertThat(h.queues.flows().find("flow-1").orElseThrow().status()).isEqualTo("RUNNING");

    payments.runOnce();
    h.advance(Duration.ofSeconds(1));
    orders.runOnce();

    assertThat(ran).containsExactly("notification", "payment", "order_status PAYMENT_PENDING");
    assertThat(h.eventsOf(FlowEvent.class)).extracting(FlowEvent::name).last().isEqualTo(FlowEvent.COMPLETED);
    assertThat(h.queues.flows().find("flow-1").orElseThrow().status()).isEqualTo("COMPLETED");
  }

  @Test
  void addingTheSameFlowTwiceAddsItOnce() {
    Flows.FlowAdded first = addFlow();
    Flows.FlowAdded again = addFlow();

    assertThat(first.created()).isTrue();
    assertThat(again.created()).isFalse();
    assertThat(again.jobIds()).isEqualTo(first.jobIds());
    assertThat(h.queues.flows().find("flow-1").orElseThrow().jobs()).hasSize(3);
    assertThat(h.eventNames()).filteredOn(JobEvent.ADDED::equals).hasSize(3);
  }

  @Test
  void aJobAddedAfterAPrerequisiteThatAlreadyCompletedCountsItsDelayFromThatCompletion() {
    UUID payment = payments.add(JobSpec.builder(DefaultQueues.PAYMENT_PROCESSING, OrderPaymentFlow.INITIATE_PAYMENT).build()).id();
    payments.runOnce();
    h.advance(Duration.ofMillis(400));

    Job order = orders.add(JobSpec.builder(DefaultQueues.ORDER_PROCESSING, OrderPaymentFlow.UPDATE_ORDER_STATUS)
        .dataJson("{\"newStatus\":\"PAID\"}").after(payment).delay(Duration.ofSeconds(1)).build()).job();

    assertThat(order.status()).isEqualTo(JobStatus.DELAYED);
    assertThat(order.runAt()).isEqualTo(QueueHarness.START.plusSeconds(1));
  }

  @Test
  void removingAnUnfinishedPrerequisiteCancelsItsDependantAndFailsTheFlow() {
    Map<String, UUID> ids = addFlow().jobIds();

    h.queues.admin().remove(ids.get(OrderPaymentFlow.PAYMENT), null);

    assertThat(h.exists(ids.get(OrderPaymentFlow.PAYMENT))).isFalse();
    Job order = h.job(ids.get(OrderPaymentFlow.ORDER_STATUS));
    assertThat(order.status()).isEqualTo(JobStatus.FAILED);
    assertThat(order.failedReason()).isEqualTo("prerequisite removed");
    assertThat(h.eventsOf(FlowEvent.class)).extracting(FlowEvent::name).containsExactly(FlowEvent.FAILED);
    assertThat(h.eventNames()).contains(JobEvent.REMOVED);
  }
}
