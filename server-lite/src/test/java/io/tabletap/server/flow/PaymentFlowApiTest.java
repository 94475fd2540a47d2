package io.tabletap.server.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tabletap.server.device.Device;
import io.tabletap.server.device.Role;
import io.tabletap.server.queue.DefaultQueues;
import io.tabletap.server.queue.Job;
import io.tabletap.server.queue.JobContext;
import io.tabletap.server.queue.Queue;
import io.tabletap.server.testing.RunningServer;
import io.tabletap.server.testing.RunningServer.Reply;
import io.tabletap.server.testing.WsClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cashier's payment flow over real HTTP and WebSocket: the three jobs run on the server's
 * worker threads; the order status step waits for the test's clock to pass one second after the
 * payment step completed.
 */
class PaymentFlowApiTest {
  private static final String ONE_ESPRESSO = "{\"type\":\"TAKEAWAY\",\"lines\":[{\"itemId\":\"espresso\",\"quantity\":1}]}";
  private static final String CASH = "{\"method\":\"CASH\",\"tendered\":1000}";
  private static final Duration WAIT = Duration.ofSeconds(15);

  @TempDir static Path dir;
  static RunningServer server;
  static String cashier;

  @BeforeAll
  static void start() {
    server = RunningServer.start(dir);
    cashier = server.token(Role.CASHIER);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String order() {
    Reply reply = server.postJson("/api/orders", cashier, ONE_ESPRESSO);
    assertThat(reply.status()).as(reply.raw()).isEqualTo(201);
    return reply.json().get("id").asText();
  }

  private static Reply startFlow(String orderId, String body, Map<String, String> headers) {
    return server.postJson("/api/orders/" + orderId + "/payment-flows", cashier, body, headers);
  }

  private static JsonNode flow(String flowId) {
    Reply reply = server.get("/api/flows/" + flowId, cashier);
    assertThat(reply.status()).as(reply.raw()).isEqualTo(200);
    return reply.json();
  }

  private static JsonNode step(JsonNode flow, String step) {
    for (JsonNode job : flow.get("jobs")) {
      if (job.get("step").asText().equals(step)) {
        return job;
      }
    }
    throw new AssertionError("No step " + step + " in " + flow);
  }

  private static JsonNode awaitFlow(String flowId, Predicate<JsonNode> until) {
    JsonNode[] last = new JsonNode[1];
    await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> until.test(last[0] = flow(flowId)));
    return last[0];
  }

  private static String status(JsonNode flow, String step) {
    return step(flow, step).get("status").asText();
  }

  private static String orderStatus(String orderId) {
    return server.get("/api/orders/" + orderId, cashier).json().get("status").asText();
  }

  private static JsonNode payments(String orderId) {
    return server.get("/api/orders/" + orderId + "/payments", cashier).json();
  }

  /** Runs the flow's order status step: not a millisecond before one second after the payment step completed. */
  private static JsonNode finishOrderStatusStep(String flowId) {
    JsonNode waiting = awaitFlow(flowId, f -> status(f, "payment").equals("COMPLETED") && status(f, "order_status").equals("DELAYED"));
    Instant paid = Instant.parse(step(waiting, "payment").get("finishedAt").asText());
    assertThat(Instant.parse(step(waiting, "order_status").get("runAt").asText())).isEqualTo(paid.plusSeconds(1));
    Queue orderQueue = server.server().queues().queue(DefaultQueues.ORDER_PROCESSING);
    server.clock.set(paid.plusMillis(999));
    assertThat(orderQueue.runOnce()).as("nothing is due 999 ms after the payment").isEmpty();
    assertThat(status(flow(flowId), "order_status")).isEqualTo("DELAYED");
    server.clock.set(paid.plusSeconds(1));
    orderQueue.wake();
    return awaitFlow(flowId, f -> status(f, "order_status").equals("COMPLETED"));
  }

  @Test
  void aCashFlowRunsItsThreeStepsInOrderAndTheCashierSeesEachAtProgress100() {
    String orderId = order();

    Reply started = startFlow(orderId, CASH, Map.of());

    assertThat(started.status()).as(started.raw()).isEqualTo(202);
    String flowId = started.json().get("flowId").asText();
    assertThat(started.header("Location")).isEqualTo("/api/flows/" + flowId);
    assertThat(started.json().get("orderId").asText()).isEqualTo(orderId);
    assertThat(started.json().get("jobs")).hasSize(3);
    List<String> steps = new ArrayList<>();
    started.json().get("jobs").forEach(j -> {
      steps.add(j.get("step").asText());
      assertThat(j.get("jobId").asText()).isNotBlank();
      assertThat(j.has("status") && j.has("progress")).isTrue();
    });
    assertThat(steps).containsExactly("payment", "order_status", "notification");

    finishOrderStatusStep(flowId);
    JsonNode done = awaitFlow(flowId, f -> f.get("status").asText().equals("COMPLETED"));

    for (JsonNode job : done.get("jobs")) {
      assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("COMPLETED");
      assertThat(job.get("progress").asInt()).as(job.toString()).isEqualTo(100);
    }
    Instant paymentDone = Instant.parse(step(done, "payment").get("finishedAt").asText());
    assertThat(Instant.parse(step(done, "order_status").get("startedAt").asText())).isAfterOrEqualTo(paymentDone.plusSeconds(1));
    assertThat(done.get("paymentStatus").asText()).isEqualTo("COMPLETED");
    assertThat(orderStatus(orderId)).isEqualTo("PAID");
    assertThat(payments(orderId)).hasSize(1);
    assertThat(payments(orderId).get(0).get("id").asText()).isEqualTo(done.get("paymentId").asText());
  }

  @Test
  void aWebSocketClientInTheFlowRoomHearsEachStepCompleteThenTheFlow() {
    String orderId = order();
    String flowId = startFlow(orderId, CASH, Map.of()).json().get("flowId").asText();
    WsClient ws = WsClient.authenticated(server.wsUrl(), cashier);
    ws.subscribe("flow:" + flowId, 0); // replays what happened before the subscription, then live

    finishOrderStatusStep(flowId);

    List<JsonNode> events = new ArrayList<>();
    JsonNode event;
    do {
      event = ws.next("event");
      events.add(event);
    } while (!event.get("event").asText().equals("flow_completed"));
    ws.close();

    List<String> names = events.stream().map(e -> e.get("event").asText()).toList();
    List<JsonNode> stepsDone = events.stream().filter(e -> e.get("event").asText().equals("step_completed")).toList();
    assertThat(stepsDone).hasSize(3);
    assertThat(stepsDone.stream().map(e -> e.get("data").get("step").asText()))
        .containsExactlyInAnyOrder("payment", "order_status", "notification");
    assertThat(names.indexOf("flow_completed")).isEqualTo(names.size() - 1);
    assertThat(events).allSatisfy(e -> assertThat(e.get("room").asText()).isEqualTo("flow:" + flowId));
    assertThat(events.get(events.size() - 1).get("data").get("flowId").asText()).isEqualTo(flowId);
    String paymentJob = stepsDone.stream().filter(e -> e.get("data").get("step").asText().equals("payment")).findFirst()
        .orElseThrow().get("data").get("jobId").asText();
    List<Integer> progress = events.stream().filter(e -> e.get("event").asText().equals("job_progress")
        && e.get("data").get("jobId").asText().equals(paymentJob)).map(e -> e.get("data").get("progress").asInt()).toList();
    assertThat(progress).containsExactly(10, 50, 80, 100);
    assertThat(names).contains("job_started", "job_completed");
    // the order status step starts only after the payment step completed
    assertThat(names.indexOf("step_completed")).isLessThan(names.lastIndexOf("job_started"));
  }

  @Test
  void aPaymentStepThatFailsForGoodCancelsTheOrderStatusStepAndFailsTheFlow() {
    String orderId = order();
    WsClient staff = WsClient.authenticated(server.wsUrl(), cashier);
    staff.subscribe("cafe:demo:staff");
    // more than the order's total: the start is refused (overpayment), which no retry can change
    String body = "{\"method\":\"CUSTOMER_CREDIT\",\"amount\":999999,\"creditAccountId\":\"" + UUID.randomUUID() + "\"}";

    Reply started = startFlow(orderId, body, Map.of());

    assertThat(started.status()).as(started.raw()).isEqualTo(202);
    String flowId = started.json().get("flowId").asText();
    JsonNode failed = awaitFlow(flowId, f -> f.get("status").asText().equals("FAILED")
        && status(f, "payment").equals("FAILED") && status(f, "order_status").equals("FAILED"));
    assertThat(step(failed, "payment").get("failedReason").asText()).contains("overpayment");
    assertThat(step(failed, "payment").get("attemptsMade").asInt()).isEqualTo(1); // not retried
    assertThat(step(failed, "order_status").get("failedReason").asText()).isEqualTo("prerequisite failed");
    assertThat(step(failed, "order_status").get("startedAt").isNull()).isTrue();
    assertThat(failed.get("paymentId").isNull()).isTrue();
    assertThat(payments(orderId)).isEmpty();
    assertThat(orderStatus(orderId)).isEqualTo("CREATED");

    WsClient ws = WsClient.authenticated(server.wsUrl(), cashier);
    ws.subscribe("flow:" + flowId, 0);
    JsonNode flowFailed = ws.nextEvent("flow_failed");
    assertThat(flowFailed.get("data").get("step").asText()).isEqualTo("payment");
    assertThat(flowFailed.get("data").get("flowId").asText()).isEqualTo(flowId);
    ws.close();
    JsonNode alert = staff.nextEvent("job_failed");
    assertThat(alert.get("data").get("flowId").asText()).isEqualTo(flowId);
    assertThat(alert.get("data").get("jobType").asText()).isIn("initiate_payment", "update_order_status");
    staff.close();
  }

  @Test
  void aPaymentTheGatewayRefusesIsAFailedPaymentAndTheStepStillCompletes() {
    String orderId = order();
    String body = "{\"method\":\"CUSTOMER_CREDIT\",\"creditAccountId\":\"" + UUID.randomUUID() + "\"}"; // no such account

    String flowId = startFlow(orderId, body, Map.of()).json().get("flowId").asText();

    JsonNode flow = awaitFlow(flowId, f -> status(f, "payment").equals("COMPLETED"));
    assertThat(flow.get("paymentStatus").asText()).isEqualTo("FAILED");
    assertThat(step(flow, "payment").get("progress").asInt()).isEqualTo(100);
    assertThat(payments(orderId)).hasSize(1);
    finishOrderStatusStep(flowId); // the order stays PAYMENT_PENDING; nothing is left due for the other tests
    assertThat(orderStatus(orderId)).isEqualTo("PAYMENT_PENDING");
  }

  @Test
  void aRetriedRequestWithTheSameIdempotencyKeyGetsTheSameFlowAndNoSecondPayment() throws Exception {
    String orderId = order();
    Map<String, String> key = Map.of("Idempotency-Key", "till-1-" + UUID.randomUUID());

    Reply first = startFlow(orderId, CASH, key);
    Reply again = startFlow(orderId, CASH, key);

    assertThat(first.status()).as(first.raw()).isEqualTo(202);
    assertThat(again.status()).as(again.raw()).isEqualTo(202);
    String flowId = first.json().get("flowId").asText();
    assertThat(again.json().get("flowId").asText()).isEqualTo(flowId);
    assertThat(first.json().get("created").asBoolean()).isTrue();
    assertThat(again.json().get("created").asBoolean()).isFalse();
    JsonNode flow = awaitFlow(flowId, f -> status(f, "payment").equals("COMPLETED"));
    assertThat(payments(orderId)).hasSize(1);

    // the payment job run once more (as after a stall or a crash) finds the payment it started
    Device device = server.server().devices().authenticate(cashier).orElseThrow();
    Job job = server.server().queues().queue(DefaultQueues.PAYMENT_PROCESSING)
        .find(UUID.fromString(step(flow, "payment").get("jobId").asText())).orElseThrow();
    List<Integer> progress = new ArrayList<>();
    new PaymentFlowJobs(server.server().payments(), server.server().orders(), id -> Optional.of(device))
        .initiatePayment(job, new JobContext() {
          @Override
          public void progress(int percent) {
            progress.add(percent);
          }

          @Override
          public boolean isCancelled() {
            return false;
          }
        });
    assertThat(progress).containsExactly(10, 50, 80, 100);
    assertThat(payments(orderId)).hasSize(1);

    Reply otherBody = startFlow(orderId, "{\"method\":\"CASH\",\"tendered\":2000}", key);
    assertThat(otherBody.status()).as(otherBody.raw()).isEqualTo(422);
    assertThat(otherBody.json().get("error").asText()).isEqualTo("idempotency_key_reused");
    finishOrderStatusStep(flowId);
  }

  @Test
  void theRequestIsCheckedBeforeAFlowStarts() {
    String orderId = order();
    assertThat(startFlow(orderId, "{\"method\":\"CASH\"}", Map.of()).status()).isEqualTo(422); // no tendered
    assertThat(startFlow(UUID.randomUUID().toString(), CASH, Map.of()).status()).isEqualTo(404);
    assertThat(server.get("/api/flows/" + UUID.randomUUID(), cashier).status()).isEqualTo(404);
    Reply kitchen = server.postJson("/api/orders/" + orderId + "/payment-flows", server.token(Role.KITCHEN), CASH);
    assertThat(kitchen.status()).isEqualTo(403);
    String admin = server.token(Role.ADMIN);
    assertThat(server.postJson("/api/orders/" + orderId + "/transitions", admin, "{\"to\":\"CANCELLED\"}").status()).isEqualTo(200);
    Reply cancelled = startFlow(orderId, CASH, Map.of());
    assertThat(cancelled.status()).as(cancelled.raw()).isEqualTo(409);
    assertThat(cancelled.json().get("error").asText()).isEqualTo("order_not_payable");
  }
}
