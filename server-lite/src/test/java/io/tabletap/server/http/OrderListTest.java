package io.tabletap.server.http;

import static io.tabletap.server.http.ApiAssertions.assertPlainError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tabletap.server.device.Role;
import io.tabletap.server.testing.RunningServer;
import io.tabletap.server.testing.RunningServer.Reply;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code GET /api/orders?status=&since=&limit=}. Each test works in a cafe of its own, so it can
 * say exactly which orders the list holds.
 */
class OrderListTest {
  private static final AtomicInteger cafes = new AtomicInteger();

  @TempDir static Path dir;
  static RunningServer server;
  static DatabaseProbe db;

  /** This test's cafe's admin, who takes and moves its orders. */
  String admin;

  @BeforeAll
  static void start() {
    server = RunningServer.start(dir);
    db = DatabaseProbe.open(dir);
  }

  @AfterAll
  static void stop() {
    db.close();
    server.close();
  }

  @BeforeEach
  void openACafe() {
    String cafeId = "list-" + cafes.incrementAndGet();
    db.addCafeLikeDemo(cafeId);
    admin = server.server().devices().create(cafeId, Role.ADMIN, "admin").token();
    server.clock.set(RunningServer.START);
  }

  @Test
  void aCafeWithoutOrdersListsNone() {
    Reply reply = server.get("/api/orders", admin);

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().isArray()).isTrue();
    assertThat(reply.json()).isEmpty();
  }

  @Test
  void listsOrdersOldestChangeFirst() {
    String first = placeAMinuteLater();
    String second = placeAMinuteLater();
    String third = placeAMinuteLater();
    server.clock.advance(Duration.ofMinutes(1));
    assertThat(Orders.move(server, admin, first, "PAYMENT_PENDING").status()).isEqualTo(200);

    assertThat(ids("/api/orders")).containsExactly(second, third, first);
  }

  @Test
  void listedOrdersLookLikeSingleOnes() {
    String id = placeAMinuteLater();

    JsonNode listed = server.get("/api/orders", admin).json().get(0);

    assertThat(listed).isEqualTo(server.get("/api/orders/" + id, admin).json());
  }

  @Test
  void filtersByOneOrSeveralStatuses() {
    placeAMinuteLater();
    String paid = Orders.orderIn(server, admin, "PAID");
    String ready = Orders.orderIn(server, admin, "READY");
    Orders.orderIn(server, admin, "COMPLETED");
    String cancelled = Orders.orderIn(server, admin, "CANCELLED");

    assertThat(ids("/api/orders?status=PAID,READY")).containsExactlyInAnyOrder(paid, ready);
    assertThat(ids("/api/orders?status=READY")).containsExactly(ready);
    assertThat(ids("/api/orders?status=cancelled")).containsExactly(cancelled);
    assertThat(ids("/api/orders?status=IN_PREPARATION")).isEmpty();
    assertThat(ids("/api/orders?status=")).hasSize(5);
  }

  @Test
  void sinceKeepsOrdersChangedAtOrAfterThatInstant() {
    placeAMinuteLater();
    String second = placeAMinuteLater();
    Instant secondAt = server.clock.instant();
    String third = placeAMinuteLater();

    assertThat(ids("/api/orders?since=" + secondAt)).containsExactly(second, third);
    assertThat(ids("/api/orders?since=" + secondAt.plusMillis(1))).containsExactly(third);
    assertThat(ids("/api/orders?since=" + server.clock.instant().plusSeconds(1))).isEmpty();
  }

  @Test
  void sinceSeesAnOldOrderAgainOnceItChanges() {
    String old = placeAMinuteLater();
    server.clock.advance(Duration.ofHours(1));
    Instant checkpoint = server.clock.instant();
    server.clock.advance(Duration.ofMinutes(1));

    assertThat(ids("/api/orders?since=" + checkpoint)).isEmpty();
    assertThat(Orders.move(server, admin, old, "CANCELLED").status()).isEqualTo(200);
    assertThat(ids("/api/orders?since=" + checkpoint)).containsExactly(old);
  }

  @Test
  void limitKeepsTheOldestChanges() {
    String first = placeAMinuteLater();
    String second = placeAMinuteLater();
    placeAMinuteLater();

    assertThat(ids("/api/orders?limit=2")).containsExactly(first, second);
    assertThat(ids("/api/orders?limit=1")).containsExactly(first);
    assertThat(ids("/api/orders?limit=500")).hasSize(3);
  }

  @Test
  void statusSinceAndLimitCombine() {
    Orders.orderIn(server, admin, "PAID");
    server.clock.advance(Duration.ofMinutes(1));
    Instant since = server.clock.instant();
    Orders.orderIn(server, admin, "READY");
    String paidLater = Orders.orderIn(server, admin, "PAID");
    server.clock.advance(Duration.ofMinutes(1));
    String paidLast = Orders.orderIn(server, admin, "PAID");

    assertThat(ids("/api/orders?status=PAID&since=" + since + "&limit=1")).containsExactly(paidLater);
    assertThat(ids("/api/orders?status=PAID&since=" + since)).containsExactly(paidLater, paidLast);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "status=BOGUS", "status=PAID,NOPE", "since=yesterday", "since=2026-11-26", "since=2026-13-01T00:00:00Z",
      "since=", "limit=0", "limit=501", "limit=-1", "limit=abc", "limit=2.5", "limit=",
  })
  void aBadParameterIs400(String query) {
    placeAMinuteLater();

    Reply reply = server.get("/api/orders?" + query, admin);

    JsonNode body = assertPlainError(reply, 400, "bad_parameter");
    assertThat(body.get("message").asText()).contains(query.substring(0, query.indexOf('=')));
  }

  private String placeAMinuteLater() {
    server.clock.advance(Duration.ofMinutes(1));
    return Orders.place(server, admin, Orders.ONE_ESPRESSO).get("id").asText();
  }

  private List<String> ids(String path) {
    Reply reply = server.get(path, admin);
    assertThat(reply.status()).as(reply.raw()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    reply.json().forEach(order -> ids.add(order.get("id").asText()));
    return ids;
  }
}
