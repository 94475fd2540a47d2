package io.tabletap.server.http;

import static io.tabletap.server.http.ApiAssertions.assertError;
import static io.tabletap.server.http.ApiAssertions.assertFieldError;
import static io.tabletap.server.http.ApiAssertions.assertPlainError;
import static io.tabletap.server.http.ApiAssertions.fieldNames;
import static io.tabletap.server.http.Orders.ONE_ESPRESSO;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tabletap.server.device.Role;
import io.tabletap.server.domain.Cafe;
import io.tabletap.server.domain.Menu;
import io.tabletap.server.domain.Menu.MenuCategory;
import io.tabletap.server.domain.Menu.MenuItem;
import io.tabletap.server.domain.Money;
import io.tabletap.server.menu.DemoCafe;
import io.tabletap.server.testing.RunningServer;
import io.tabletap.server.testing.RunningServer.Reply;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every status the API refuses with, each in the one JSON error shape, and each leaving the
 * database as it was.
 */
class ErrorResponsesTest {
  private static final int MAX_BODY = 64 * 1024;

  @TempDir static Path dir;
  static RunningServer server;
  static DatabaseProbe db;
  static String admin;
  static String cashier;
  static String kitchen;
  static String orderId;

  Map<String, List<String>> before;
  /** Set by the few tests that are meant to write; every other one must leave no trace. */
  boolean wroteOnPurpose;

  @BeforeAll
  static void start() {
    server = RunningServer.start(dir);
    db = DatabaseProbe.open(dir);
    admin = server.token(Role.ADMIN);
    cashier = server.token(Role.CASHIER);
    kitchen = server.token(Role.KITCHEN);
    orderId = Orders.place(server, cashier, ONE_ESPRESSO).get("id").asText();
  }

  @AfterAll
  static void stop() {
    db.close();
    server.close();
  }

  @BeforeEach
  void rememberTheDatabase() {
    before = db.orderTables();
  }

  @AfterEach
  void databaseIsUnchanged() {
    if (!wroteOnPurpose) {
      assertThat(db.orderTables()).isEqualTo(before);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{",
      "{\"type\":}",
      "{\"type\":\"TAKEAWAY\",\"lines\":[}",
      "not json",
      "{'type':'TAKEAWAY'}",
      "{\"type\":\"TAKEAWAY\",\"type\":\"DINE_IN\",\"lines\":[]}",
      "{\"type\":\"TAKEAWAY\",\"lines\":[{\"itemId\":\"espresso\",\"quantity\":1}]} {}",
  })
  void malformedJsonIs400(String body) {
    assertPlainError(server.postJson("/api/orders", cashier, body), 400, "malformed_json");
  }

  @Test
  void anEmptyBodyIs400() {
    assertPlainError(server.postJson("/api/orders", cashier, ""), 400, "malformed_json");
  }

  @Test
  void malformedJsonOnATransitionIs400() {
    assertPlainError(server.postJson("/api/orders/" + orderId + "/transitions", admin, "{\"to\":"), 400, "malformed_json");
  }

  @Test
  void aMissingTokenIs401WithABearerChallenge() {
    Reply reply = server.postJson("/api/orders", null, ONE_ESPRESSO);

    assertPlainError(reply, 401, "unauthorized");
    assertThat(reply.header("WWW-Authenticate")).startsWith("Bearer");
  }

  @ParameterizedTest
  @ValueSource(strings = {"tt_unknown", "not-even-our-format", "tt_", ""})
  void anUnknownTokenIs401(String token) {
    Reply reply = server.postJson("/api/orders", token, ONE_ESPRESSO);

    assertPlainError(reply, 401, "unauthorized");
    assertThat(reply.header("WWW-Authenticate")).startsWith("Bearer");
  }

  @Test
  void aTokenSentWithAnotherSchemeIs401() {
    Reply reply = server.postJson("/api/orders", null, ONE_ESPRESSO, Map.of("Authorization", "Basic " + cashier));

    assertPlainError(reply, 401, "unauthorized");
  }

  @Test
  void aRoleThatMayNotCallTheRouteIs403() {
    Reply reply = server.postJson("/api/orders", kitchen, ONE_ESPRESSO);

    assertPlainError(reply, 403, "forbidden");
  }

  @Test
  void anUnknownRouteIs404EvenWithoutAToken() {
    assertPlainError(server.get("/api/nothing-here", null), 404, "not_found");
    assertPlainError(server.get("/api/nothing-here", admin), 404, "not_found");
    assertPlainError(server.get("/api/orders/" + orderId + "/lines", admin), 404, "not_found");
  }

  @Test
  void anUnknownOrderIs404() {
    assertPlainError(server.get("/api/orders/" + UUID.randomUUID(), admin), 404, "not_found");
    assertPlainError(Orders.move(server, admin, UUID.randomUUID().toString(), "PAYMENT_PENDING"), 404, "not_found");
  }

  @Test
  void anOrderIdThatIsNoUuidIs404() {
    assertPlainError(server.get("/api/orders/42", admin), 404, "not_found");
    assertPlainError(Orders.move(server, admin, "42", "PAYMENT_PENDING"), 404, "not_found");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "DELETE | /api/orders              | GET, POST",
      "PUT    | /api/orders/{id}         | GET",
      "GET    | /api/orders/{id}/transitions | POST",
      "POST   | /health                  | GET",
      "POST   | /api/menu                | GET",
  })
  void aWrongMethodIs405WithAnAllowHeader(String method, String path, String allow) {
    Reply reply = server.send(method, path.replace("{id}", orderId), admin, "application/json", "{}".getBytes(StandardCharsets.UTF_8));

    assertPlainError(reply, 405, "method_not_allowed");
    assertThat(reply.header("Allow")).isEqualTo(allow);
  }

  @Test
  void anIllegalTransitionIs409NamingWhereTheOrderMayGo() {
    Reply reply = Orders.move(server, admin, orderId, "READY");

    JsonNode details = assertError(reply, 409, "illegal_transition").get("details");
    assertThat(details.get("from").asText()).isEqualTo("CREATED");
    assertThat(details.get("to").asText()).isEqualTo("READY");
    assertThat(details.get("allowed")).extracting(JsonNode::asText).containsExactly("CANCELLED", "PAYMENT_PENDING");
  }

  @Test
  void aBodyOver64KiBIs413() {
    Reply reply = server.send("POST", "/api/orders", cashier, "application/json", padded(ONE_ESPRESSO, MAX_BODY + 1));

    assertPlainError(reply, 413, "payload_too_large");
  }

  @Test
  void aChunkedBodyOver64KiBIs413() throws Exception {
    byte[] body = padded(ONE_ESPRESSO, 4 * MAX_BODY);
    HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/orders"))
        .header("Authorization", "Bearer " + cashier).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build();

    assertPlainError(sendDirectly(request), 413, "payload_too_large");
  }

  @Test
  void aBodyOfExactly64KiBIsAccepted() {
    wroteOnPurpose = true;

    Reply reply = server.send("POST", "/api/orders", cashier, "application/json", padded(ONE_ESPRESSO, MAX_BODY));

    assertThat(reply.status()).as(reply.raw()).isEqualTo(201);
  }

  @ParameterizedTest
  @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", "application/jsonx", "text/json"})
  void aBodyThatIsNotJsonIs415(String contentType) {
    Reply reply = server.send("POST", "/api/orders", cashier, contentType, ONE_ESPRESSO.getBytes(StandardCharsets.UTF_8));

    assertPlainError(reply, 415, "unsupported_media_type");
  }

  @Test
  void aBodyWithoutAContentTypeIs415() {
    Reply reply = server.send("POST", "/api/orders", cashier, null, ONE_ESPRESSO.getBytes(StandardCharsets.UTF_8));

    assertPlainError(reply, 415, "unsupported_media_type");
  }

  @Test
  void jsonWithACharsetParameterIsAccepted() {
    wroteOnPurpose = true;

    Reply reply = server.send("POST", "/api/orders", cashier, "application/json; charset=UTF-8",
        ONE_ESPRESSO.getBytes(StandardCharsets.UTF_8));

    assertThat(reply.status()).as(reply.raw()).isEqualTo(201);
  }

  @Test
  void checksRunInOrderRouteThenTokenThenRoleThenContentTypeThenSize() {
    byte[] tooBig = padded(ONE_ESPRESSO, MAX_BODY + 1);

    assertPlainError(server.send("PATCH", "/api/orders", null, "text/plain", tooBig), 405, "method_not_allowed");
    assertPlainError(server.send("POST", "/api/orders", null, "text/plain", tooBig), 401, "unauthorized");
    assertPlainError(server.send("POST", "/api/orders", kitchen, "text/plain", tooBig), 403, "forbidden");
    assertPlainError(server.send("POST", "/api/orders", cashier, "text/plain", tooBig), 415, "unsupported_media_type");
    assertPlainError(server.send("POST", "/api/orders", cashier, "application/json", tooBig), 413, "payload_too_large");
  }

  @Test
  void wellFormedJsonThatBreaksTheRulesIs422WithFieldErrors() {
    Reply reply = server.postJson("/api/orders", cashier, Orders.takeaway("{\"itemId\":\"no-such-thing\",\"quantity\":1}"));

    assertFieldError(reply, "lines[0].itemId", "unknown_item");
  }

  @Test
  void anUnexpectedFailureIs500WithACorrelationIdAndNoTrace() {
    db.addCafe(new Cafe("gold", "Gold Cafe", DemoCafe.cafe().currency(), DemoCafe.cafe().taxPolicy(), DemoCafe.cafe().zone(),
        DemoCafe.cafe().businessDayStart()), goldMenu());
    String goldCashier = server.server().devices().create("gold", Role.CASHIER, "gold till").token();

    // Two bars cost more than a long can count: an arithmetic overflow nobody maps on purpose.
    Reply reply = server.postJson("/api/orders", goldCashier, Orders.takeaway("{\"itemId\":\"gold-bar\",\"quantity\":2}"));

    assertThat(reply.status()).as(reply.raw()).isEqualTo(500);
    JsonNode body = reply.json();
    assertThat(fieldNames(body)).containsExactly("error", "message", "details", "correlationId");
    assertThat(body.get("error").asText()).isEqualTo("internal_error");
    assertThat(body.get("details").isNull()).isTrue();
    String correlationId = body.get("correlationId").asText();
    assertThat(correlationId).isNotBlank().isEqualTo(reply.header("X-Request-Id"));
    assertThat(body.get("message").asText()).contains(correlationId);
    assertThat(reply.raw()).doesNotContainIgnoringCase("overflow").doesNotContain("Arithmetic");
    ApiAssertions.assertNoInternals(reply);
    assertThat(server.get("/health", null).status()).as("the server still answers").isEqualTo(200);
  }

  @Test
  void successfulAnswersAreNotErrorShaped() {
    Reply reply = server.get("/api/orders/" + orderId, admin);

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().has("error")).isFalse();
    assertThat(reply.header("X-Request-Id")).isNotBlank();
  }

  @Test
  void serverTimingIsInMillisecondsWithThreeDecimals() {
    assertThat(HttpApi.serverTiming(1_234_567)).isEqualTo("app;dur=1.234");
    assertThat(HttpApi.serverTiming(5_000)).isEqualTo("app;dur=0.005");
    assertThat(HttpApi.serverTiming(42_000)).isEqualTo("app;dur=0.042");
    assertThat(HttpApi.serverTiming(12_000_000)).isEqualTo("app;dur=12.000");
  }

  @Test
  void everyAnswerSaysHowLongTheServerTookInServerTiming() {
    for (Reply reply : List.of(server.get("/api/orders/" + orderId, admin), server.get("/api/orders/" + orderId, null),
        server.get("/health", null))) {
      assertThat(reply.header("Server-Timing")).as(reply.raw()).matches("app;dur=\\d+\\.\\d{3}");
      double millis = Double.parseDouble(reply.header("Server-Timing").substring("app;dur=".length()));
      assertThat(millis).isGreaterThanOrEqualTo(0).isLessThan(10_000);
    }
  }

  private static Menu goldMenu() {
    MenuItem bar = new MenuItem("gold-bar", "bars", "Gold bar", Money.of(Long.MAX_VALUE / 2 + 1, "AUD"), true, List.of());
    return new Menu("gold", List.of(new MenuCategory("bars", "Bars", 1, List.of(bar))), List.of());
  }

  /** {@code json} followed by spaces up to {@code size} bytes: still the same JSON value. */
  private static byte[] padded(String json, int size) {
    byte[] body = new byte[size];
    Arrays.fill(body, (byte) ' ');
    byte[] prefix = json.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(prefix, 0, body, 0, prefix.length);
    return body;
  }

  private static Reply sendDirectly(HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    return new Reply(response.statusCode(), response.headers().map(), response.body());
  }
}
