package io.tabletap.server.http;

import static io.tabletap.server.http.ApiAssertions.assertFieldError;
import static io.tabletap.server.http.ApiAssertions.assertPlainError;
import static io.tabletap.server.http.Orders.line;
import static io.tabletap.server.http.Orders.takeaway;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tabletap.server.device.Role;
import io.tabletap.server.testing.RunningServer;
import io.tabletap.server.testing.RunningServer.Reply;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A till that retries must not make a second order: the same Idempotency-Key, or the same
 * client-chosen order id, with the same content answers 200 with the first order; with other
 * content it is refused and nothing changes.
 */
class IdempotencyTest {
  private static final String FLAT_WHITES = takeaway(line("flat-white", 2, "size-large", "milk-oat"));
  private static final String ONE_LATTE = takeaway(line("latte", 1, "size-small"));

  @TempDir static Path dir;
  static RunningServer server;
  static DatabaseProbe db;
  static String cashier;
  static String secondTill;

  @BeforeAll
  static void start() {
    server = RunningServer.start(dir);
    db = DatabaseProbe.open(dir);
    cashier = server.token(Role.CASHIER);
    secondTill = server.token(Role.CASHIER);
  }

  @AfterAll
  static void stop() {
    db.close();
    server.close();
  }

  @Test
  void theSameKeyAndBodyAgainIs200WithTheFirstOrder() {
    String key = newKey();
    Reply first = postWithKey(key, FLAT_WHITES);
    assertThat(first.status()).as(first.raw()).isEqualTo(201);
    Map<String, List<String>> afterFirst = db.orderTables();
    server.clock.advance(Duration.ofSeconds(30));

    Reply retry = postWithKey(key, FLAT_WHITES);

    assertThat(retry.status()).as(retry.raw()).isEqualTo(200);
    assertThat(retry.json()).isEqualTo(first.json());
    assertThat(db.orderTables()).isEqualTo(afterFirst);
  }

  @Test
  void aRetryAfterTheOrderMovedOnAnswersWithItAsItIsNow() {
    String key = newKey();
    String id = postWithKey(key, FLAT_WHITES).json().get("id").asText();
    assertThat(Orders.move(server, cashier, id, "PAYMENT_PENDING").status()).isEqualTo(200);

    Reply retry = postWithKey(key, FLAT_WHITES);

    assertThat(retry.status()).isEqualTo(200);
    assertThat(retry.json().get("id").asText()).isEqualTo(id);
    assertThat(retry.json().get("status").asText()).isEqualTo("PAYMENT_PENDING");
  }

  @Test
  void theSameContentWrittenDifferentlyCountsAsTheSameBody() {
    String key = newKey();
    Reply first = postWithKey(key, FLAT_WHITES);

    Reply retry = postWithKey(key, "{ \"lines\" : [ { \"options\" : [\"size-large\", \"milk-oat\"], \"quantity\" : 2,"
        + " \"itemId\" : \"flat-white\" } ],\n \"type\" : \"TAKEAWAY\" }");

    assertThat(retry.status()).as(retry.raw()).isEqualTo(200);
    assertThat(retry.json().get("id")).isEqualTo(first.json().get("id"));
  }

  @Test
  void theSameKeyFromAnotherTillOfTheCafeIsTheSameRequest() {
    String key = newKey();
    Reply first = postWithKey(key, FLAT_WHITES);

    Reply other = server.postJson("/api/orders", secondTill, FLAT_WHITES, Map.of("Idempotency-Key", key));

    assertThat(other.status()).isEqualTo(200);
    assertThat(other.json().get("id")).isEqualTo(first.json().get("id"));
  }

  @Test
  void theSameKeyWithAnotherBodyIs422AndChangesNothing() {
    String key = newKey();
    Reply first = postWithKey(key, FLAT_WHITES);
    Map<String, List<String>> before = db.orderTables();

    Reply reused = postWithKey(key, ONE_LATTE);

    assertPlainError(reused, 422, "idempotency_key_reused");
    assertThat(db.orderTables()).isEqualTo(before);
    assertThat(postWithKey(key, FLAT_WHITES).json().get("id")).as("the key still names the first order")
        .isEqualTo(first.json().get("id"));
  }

  @Test
  void optionsInAnotherOrderAreAnotherBody() {
    String key = newKey();
    postWithKey(key, FLAT_WHITES);

    Reply reordered = postWithKey(key, takeaway(line("flat-white", 2, "milk-oat", "size-large")));

    assertPlainError(reordered, 422, "idempotency_key_reused");
  }

  @Test
  void aRefusedRequestDoesNotUseUpItsKey() {
    String key = newKey();
    Map<String, List<String>> before = db.orderTables();

    assertFieldError(postWithKey(key, takeaway(line("eggs-benedict", 1))), "lines[0].itemId", "item_unavailable");
    assertThat(db.orderTables()).isEqualTo(before);

    assertThat(postWithKey(key, FLAT_WHITES).status()).isEqualTo(201);
  }

  @Test
  void differentKeysMakeDifferentOrders() {
    JsonNode first = postWithKey(newKey(), FLAT_WHITES).json();
    JsonNode second = postWithKey(newKey(), FLAT_WHITES).json();

    assertThat(second.get("id")).isNotEqualTo(first.get("id"));
    assertThat(second.get("orderNumber").asInt()).isGreaterThan(first.get("orderNumber").asInt());
  }

  @Test
  void withoutAKeyEveryPostIsANewOrder() {
    String first = Orders.place(server, cashier, FLAT_WHITES).get("id").asText();
    String second = Orders.place(server, cashier, FLAT_WHITES).get("id").asText();

    assertThat(second).isNotEqualTo(first);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 256})
  void aKeyOfBadLengthIs422(int length) {
    Map<String, List<String>> before = db.orderTables();

    Reply reply = postWithKey("k".repeat(length), FLAT_WHITES);

    assertFieldError(reply, "Idempotency-Key", "bad_idempotency_key");
    assertThat(db.orderTables()).isEqualTo(before);
  }

  @Test
  void aKeyWithASpaceIs422() {
    assertFieldError(postWithKey("two words", FLAT_WHITES), "Idempotency-Key", "bad_idempotency_key");
  }

  @Test
  void aKeyOf255CharactersIsFine() {
    String key = UUID.randomUUID() + "k".repeat(255 - 36);

    assertThat(postWithKey(key, FLAT_WHITES).status()).isEqualTo(201);
    assertThat(postWithKey(key, FLAT_WHITES).status()).isEqualTo(200);
  }

  @Test
  void aClientChosenIdBecomesTheOrderId() {
    UUID id = UUID.randomUUID();

    JsonNode order = Orders.place(server, cashier, withId(id, FLAT_WHITES));

    assertThat(order.get("id").asText()).isEqualTo(id.toString());
    assertThat(server.get("/api/orders/" + id, cashier).status()).isEqualTo(200);
  }

  @Test
  void theSameClientIdAndContentAgainIs200WithTheFirstOrder() {
    UUID id = UUID.randomUUID();
    JsonNode first = Orders.place(server, cashier, withId(id, FLAT_WHITES));
    Map<String, List<String>> before = db.orderTables();

    Reply retry = server.postJson("/api/orders", cashier, withId(id, FLAT_WHITES));

    assertThat(retry.status()).as(retry.raw()).isEqualTo(200);
    assertThat(retry.json()).isEqualTo(first);
    assertThat(db.orderTables()).isEqualTo(before);
  }

  @Test
  void theSameClientIdWithOtherContentIs409AndChangesNothing() {
    UUID id = UUID.randomUUID();
    Orders.place(server, cashier, withId(id, FLAT_WHITES));
    Map<String, List<String>> before = db.orderTables();

    Reply clash = server.postJson("/api/orders", cashier, withId(id, ONE_LATTE));

    assertPlainError(clash, 409, "order_exists");
    assertThat(db.orderTables()).isEqualTo(before);
    assertThat(server.get("/api/orders/" + id, cashier).json().get("lines").get(0).get("itemId").asText()).isEqualTo("flat-white");
  }

  @Test
  void aClientIdAndAKeyTogetherReplayAsOne() {
    UUID id = UUID.randomUUID();
    String key = newKey();
    assertThat(postWithKey(key, withId(id, FLAT_WHITES)).status()).isEqualTo(201);

    assertThat(postWithKey(key, withId(id, FLAT_WHITES)).status()).isEqualTo(200);
    assertPlainError(postWithKey(key, withId(UUID.randomUUID(), FLAT_WHITES)), 422, "idempotency_key_reused");
    assertPlainError(postWithKey(newKey(), withId(id, ONE_LATTE)), 409, "order_exists");
  }

  @Test
  void retriesRacingEachOtherWithOneKeyMakeOneOrder() throws Exception {
    String key = newKey();
    long ordersBefore = db.orderCount();

    List<Reply> replies = all(8, () -> postWithKey(key, FLAT_WHITES));

    assertThat(replies).extracting(Reply::status).as(replies.toString()).containsOnly(200, 201).containsOnlyOnce(201);
    assertThat(replies).extracting(r -> r.json().get("id").asText()).containsOnly(replies.get(0).json().get("id").asText());
    assertThat(db.orderCount()).isEqualTo(ordersBefore + 1);
  }

  @Test
  void retriesRacingEachOtherWithOneClientIdMakeOneOrder() throws Exception {
    UUID id = UUID.randomUUID();
    long ordersBefore = db.orderCount();

    List<Reply> replies = all(8, () -> server.postJson("/api/orders", cashier, withId(id, FLAT_WHITES)));

    assertThat(replies).extracting(Reply::status).as(replies.toString()).containsOnly(200, 201).containsOnlyOnce(201);
    assertThat(replies).extracting(r -> r.json().get("id").asText()).containsOnly(id.toString());
    assertThat(db.orderCount()).isEqualTo(ordersBefore + 1);
  }

  /** Sends {@code count} requests at once, from as many threads, released together. */
  private static List<Reply> all(int count, Callable<Reply> request) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(count);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Reply>> futures = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        futures.add(pool.submit(() -> {
          go.await();
          return request.call();
        }));
      }
      go.countDown();
      List<Reply> replies = new ArrayList<>();
      for (Future<Reply> future : futures) {
        replies.add(future.get(30, TimeUnit.SECONDS));
      }
      return replies;
    } finally {
      pool.shutdownNow();
    }
  }

  private static Reply postWithKey(String key, String body) {
    return server.postJson("/api/orders", cashier, body, Map.of("Idempotency-Key", key));
  }

  private static String newKey() {
    return "till-1-" + UUID.randomUUID();
  }

  private static String withId(UUID id, String order) {
    return "{\"id\":\"" + id + "\"," + order.substring(1);
  }
}
