package io.tabletap.server.http;

import static io.tabletap.server.http.ApiAssertions.assertError;
import static io.tabletap.server.http.ApiAssertions.assertPlainError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tabletap.server.device.Role;
import io.tabletap.server.queue.DefaultQueues;
import io.tabletap.server.queue.JobSpec;
import io.tabletap.server.queue.JobStatus;
import io.tabletap.server.queue.Queue;
import io.tabletap.server.queue.Queues;
import io.tabletap.server.testing.RunningServer;
import io.tabletap.server.testing.RunningServer.Reply;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The queue admin endpoints over HTTP, against one real server (its default queues) on a real H2 file. */
class QueueApiTest {
  private static final String JOBS = "/api/admin/jobs";
  private static final String NOTIFY = DefaultQueues.NOTIFICATION_QUEUE;

  @TempDir static Path dir;
  static RunningServer server;
  static Queues queues;
  static String admin;
  static final AtomicBoolean flakyFails = new AtomicBoolean(true);
  static final CountDownLatch releaseSlow = new CountDownLatch(1);

  @BeforeAll
  static void start() {
    server = RunningServer.start(dir);
    queues = server.server().queues();
    admin = server.token(Role.ADMIN);
    queues.queue(DefaultQueues.ORDER_PROCESSING).handle("flaky", (job, ctx) -> {
      if (flakyFails.get()) {
        throw new IllegalStateException("kitchen printer offline");
      }
    });
    queues.queue(DefaultQueues.PAYMENT_PROCESSING).handle("slow", (job, ctx) -> {
      ctx.progress(10);
      ctx.progress(50);
      releaseSlow.await();
      ctx.progress(80);
      ctx.progress(100);
    });
  }

  @AfterAll
  static void stop() {
    releaseSlow.countDown();
    server.close();
  }

  /** A job nobody handles: it waits in its queue. */
  private static UUID waitingJob(String data) {
    return queues.queue(NOTIFY).add(JobSpec.builder(NOTIFY, "unhandled").dataJson(data).build()).id();
  }

  private static JsonNode job(UUID id) {
    Reply reply = server.get(JOBS + "/" + id, admin);
    assertThat(reply.status()).as(reply.raw()).isEqualTo(200);
    return reply.json();
  }

  private static String status(UUID id) {
    return job(id).get("status").asText();
  }

  private static long count(String queue, String status) {
    for (JsonNode q : server.get("/api/admin/queues", admin).json().get("queues")) {
      if (q.get("name").asText().equals(queue)) {
        return q.get("counts").get(status).asLong();
      }
    }
    throw new AssertionError("no queue " + queue);
  }

  @Test
  void anAdminSeesEveryQueueWithACountPerStatus() {
    long before = count(NOTIFY, "WAITING");
    waitingJob("{}");
    waitingJob("{\"cafeId\":\"demo\"}");

    Reply reply = server.get("/api/admin/queues", admin);

    assertThat(reply.status()).isEqualTo(200);
    List<String> names = new ArrayList<>();
    reply.json().get("queues").forEach(q -> {
      names.add(q.get("name").asText());
      assertThat(ApiAssertions.fieldNames(q.get("counts")))
          .containsExactly("WAITING", "DELAYED", "ACTIVE", "COMPLETED", "FAILED", "BLOCKED");
    });
    assertThat(names).containsExactly(DefaultQueues.PAYMENT_PROCESSING, DefaultQueues.ORDER_PROCESSING,
        DefaultQueues.NOTIFICATION_QUEUE, DefaultQueues.WEBHOOK_PROCESSING);
    assertThat(count(NOTIFY, "WAITING")).isEqualTo(before + 2);
  }

  @Test
  void jobsAreListedNewestFirstAndFilteredByQueueStatusAndLimit() {
    UUID older = waitingJob("{\"n\":1}");
    UUID newer = waitingJob("{\"n\":2}");

    Reply reply = server.get(JOBS + "?queue=" + NOTIFY + "&status=waiting&limit=2", admin);

    assertThat(reply.status()).isEqualTo(200);
    JsonNode jobs = reply.json().get("jobs");
    assertThat(jobs).hasSize(2);
    assertThat(jobs.get(0).get("id").asText()).isEqualTo(newer.toString());
    assertThat(jobs.get(1).get("id").asText()).isEqualTo(older.toString());
    assertThat(jobs.get(0).get("queue").asText()).isEqualTo(NOTIFY);
    assertThat(jobs.get(0).get("status").asText()).isEqualTo("WAITING");
    assertThat(jobs.get(0).get("data").get("n").asInt()).isEqualTo(2);
    assertThat(jobs.get(0).get("attempts").asInt()).as("the queue's default").isEqualTo(2);
    assertThat(server.get(JOBS + "?status=COMPLETED&queue=" + DefaultQueues.WEBHOOK_PROCESSING, admin).json().get("jobs"))
        .isEmpty();
  }

  @Test
  void aRunningJobShowsItsProgressAndCannotBeRemoved() {
    UUID id = queues.queue(DefaultQueues.PAYMENT_PROCESSING)
        .add(JobSpec.builder(DefaultQueues.PAYMENT_PROCESSING, "slow").build()).id();
    await().atMost(Duration.ofSeconds(10)).until(() -> job(id).get("progress").asInt() == 50);

    JsonNode running = job(id);
    assertThat(running.get("status").asText()).isEqualTo("ACTIVE");
    assertThat(running.get("leaseUntil").isNull()).isFalse();
    JsonNode refused = assertError(server.send("DELETE", JOBS + "/" + id, admin, null, null), 409, "job_active");
    assertThat(refused.get("details").get("status").asText()).isEqualTo("ACTIVE");

    releaseSlow.countDown();
    await().atMost(Duration.ofSeconds(10)).until(() -> status(id).equals("COMPLETED"));
    assertThat(job(id).get("progress").asInt()).isEqualTo(100);
  }

  @Test
  void aFailedJobIsADeadLetterUntilRetriedWithItsAttemptsReset() {
    Queue orders = queues.queue(DefaultQueues.ORDER_PROCESSING);
    UUID id = orders.add(JobSpec.builder(DefaultQueues.ORDER_PROCESSING, "flaky").attempts(1).build()).id();
    await().atMost(Duration.ofSeconds(10)).until(() -> status(id).equals("FAILED"));
    JsonNode dead = job(id);
    assertThat(dead.get("failedReason").asText()).isEqualTo("kitchen printer offline");
    assertThat(dead.get("attemptsMade").asInt()).isEqualTo(1);
    assertThat(server.get(JOBS + "?status=FAILED&queue=" + DefaultQueues.ORDER_PROCESSING, admin).json().get("jobs"))
        .anySatisfy(j -> assertThat(j.get("id").asText()).isEqualTo(id.toString()));
    flakyFails.set(false);

    Reply retried = server.postJson(JOBS + "/" + id + "/retry", admin, "{}");

    assertThat(retried.status()).as(retried.raw()).isEqualTo(200);
    assertThat(retried.json().get("status").asText()).isEqualTo("WAITING");
    assertThat(retried.json().get("attemptsMade").asInt()).isZero();
    assertThat(retried.json().get("failedReason").isNull()).isTrue();
    await().atMost(Duration.ofSeconds(10)).until(() -> status(id).equals("COMPLETED"));
  }

  @Test
  void retryingAJobThatHasNotFailedIsAConflict() {
    UUID id = waitingJob("{}");

    JsonNode body = assertError(server.postJson(JOBS + "/" + id + "/retry", admin, "{}"), 409, "not_retryable");

    assertThat(body.get("details").get("status").asText()).isEqualTo("WAITING");
    assertThat(status(id)).isEqualTo("WAITING");
  }

  @Test
  void removingAJobDeletesItAndAnUnknownOrMalformedIdIsNotFound() {
    UUID id = waitingJob("{}");

    Reply removed = server.send("DELETE", JOBS + "/" + id, admin, null, null);

    assertThat(removed.status()).isEqualTo(204);
    assertThat(removed.raw()).isEmpty();
    assertPlainError(server.get(JOBS + "/" + id, admin), 404, "not_found");
    assertPlainError(server.send("DELETE", JOBS + "/" + id, admin, null, null), 404, "not_found");
    assertPlainError(server.postJson(JOBS + "/" + id + "/retry", admin, "{}"), 404, "not_found");
    assertPlainError(server.get(JOBS + "/not-a-uuid", admin), 404, "not_found");
  }

  @Test
  void anotherCafesJobsAreInvisible() {
    long before = count(NOTIFY, "WAITING");
    UUID theirs = waitingJob("{\"cafeId\":\"other\"}");

    assertPlainError(server.get(JOBS + "/" + theirs, admin), 404, "not_found");
    assertPlainError(server.send("DELETE", JOBS + "/" + theirs, admin, null, null), 404, "not_found");
    assertThat(server.get(JOBS + "?queue=" + NOTIFY + "&limit=500", admin).json().get("jobs"))
        .noneSatisfy(j -> assertThat(j.get("id").asText()).isEqualTo(theirs.toString()));
    assertThat(count(NOTIFY, "WAITING")).isEqualTo(before);
    assertThat(queues.queue(NOTIFY).find(theirs)).hasValueSatisfying(j -> assertThat(j.status()).isEqualTo(JobStatus.WAITING));
  }

  @Test
  void badListParametersAreRefused() {
    assertPlainError(server.get(JOBS + "?status=STUCK", admin), 400, "bad_parameter");
    assertPlainError(server.get(JOBS + "?limit=0", admin), 400, "bad_parameter");
    assertPlainError(server.get(JOBS + "?limit=501", admin), 400, "bad_parameter");
    assertPlainError(server.get(JOBS + "?limit=ten", admin), 400, "bad_parameter");
    assertPlainError(server.send("POST", JOBS + "/" + UUID.randomUUID() + "/retry", admin, null, null), 415,
        "unsupported_media_type");
  }

  @ParameterizedTest
  @EnumSource(value = Role.class, names = {"CASHIER", "KITCHEN", "CUSTOMER_DISPLAY"})
  void onlyAnAdminMayUseTheQueueEndpoints(Role role) {
    String token = server.token(role);
    UUID id = waitingJob("{}");

    assertPlainError(server.get("/api/admin/queues", token), 403, "forbidden");
    assertPlainError(server.get(JOBS, token), 403, "forbidden");
    assertPlainError(server.get(JOBS + "/" + id, token), 403, "forbidden");
    assertPlainError(server.postJson(JOBS + "/" + id + "/retry", token, "{}"), 403, "forbidden");
    assertPlainError(server.send("DELETE", JOBS + "/" + id, token, null, null), 403, "forbidden");
    assertPlainError(server.get("/api/admin/queues", null), 401, "unauthorized");
    assertThat(status(id)).isEqualTo("WAITING");
  }
}
