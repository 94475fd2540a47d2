package io.tabletap.server.http;

import static io.tabletap.server.http.Orders.line;
import static io.tabletap.server.http.Orders.takeaway;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tabletap.server.device.Role;
import io.tabletap.server.testing.RunningServer;
import io.tabletap.server.testing.RunningServer.Reply;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Taking orders, reading them back and moving them through their life, over real HTTP. */
class OrderApiTest {
  @TempDir static Path dir;
  static RunningServer server;
  static String cashier;
  static String admin;
  static String kitchen;

  @BeforeAll
  static void start() {
    server = RunningServer.start(dir);
    cashier = server.token(Role.CASHIER);
    admin = server.token(Role.ADMIN);
    kitchen = server.token(Role.KITCHEN);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aNewOrderIs201WithItsLocationAndEverythingATillShows() {
    Instant now = server.clock.instant();
    Reply reply = server.postJson("/api/orders", cashier,
        takeaway("{\"itemId\":\"flat-white\",\"quantity\":2,\"options\":[\"size-large\",\"milk-oat\"],\"note\":\"extra hot\"}"));

    assertThat(reply.status()).as(reply.raw()).isEqualTo(201);
    JsonNode order = reply.json();
    String id = order.get("id").asText();
    assertThat(UUID.fromString(id)).isNotNull();
    assertThat(reply.header("Location")).isEqualTo("/api/orders/" + id);
    assertThat(order.get("cafeId").asText()).isEqualTo("demo");
    assertThat(order.get("orderNumber").isInt()).isTrue();
    assertThat(order.get("orderNumber").asInt()).isPositive();
    assertThat(order.get("businessDate").asText()).isEqualTo("2026-11-26");
    assertThat(order.get("status").asText()).isEqualTo("CREATED");
    assertThat(order.get("type").asText()).isEqualTo("TAKEAWAY");
    assertThat(order.get("table").isNull()).isTrue();
    assertThat(order.get("currency").asText()).isEqualTo("AUD");
    assertThat(order.get("createdAt").asText()).isEqualTo(now.toString());
    assertThat(order.get("updatedAt").asText()).isEqualTo(now.toString());

    assertThat(order.get("lines")).hasSize(1);
    JsonNode line = order.get("lines").get(0);
    assertThat(line.get("itemId").asText()).isEqualTo("flat-white");
    assertThat(line.get("name").asText()).isEqualTo("Flat white");
    assertThat(line.get("quantity").asInt()).isEqualTo(2);
    assertThat(line.get("note").asText()).isEqualTo("extra hot");
    assertThat(line.get("options")).hasSize(2);
    assertThat(line.get("options").get(0).get("id").asText()).isEqualTo("size-large");
    assertThat(line.get("options").get(0).get("groupId").asText()).isEqualTo("size");
    assertThat(line.get("options").get(0).get("name").asText()).isEqualTo("Large");
    assertThat(line.get("options").get(0).get("priceDelta").asLong()).isEqualTo(100);
    assertThat(line.get("options").get(1).get("id").asText()).isEqualTo("milk-oat");
    assertThat(line.get("options").get(1).get("priceDelta").asLong()).isEqualTo(70);
    assertThat(line.get("unitPrice").asLong()).isEqualTo(450 + 100 + 70);
    assertThat(line.get("lineTotal").asLong()).isEqualTo(2 * 620);

    assertThat(order.get("subtotal").isIntegralNumber()).isTrue();
    assertThat(order.get("subtotal").asLong()).isEqualTo(1240);
    assertThat(order.get("total").asLong()).isEqualTo(1240);
    assertThat(order.get("tax").asLong()).isEqualTo(113); // 1240 / 11 = 112.73
  }

  @Test
  void readingAnOrderBackGivesWhatTheCreationAnswered() {
    JsonNode created = Orders.place(server, cashier, takeaway(line("latte", 1, "size-small", "milk-soy")));

    Reply reply = server.get("/api/orders/" + created.get("id").asText(), cashier);

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json()).isEqualTo(created);
  }

  @Test
  void everyRoleCanReadAnOrder() {
    String id = Orders.place(server, cashier, Orders.ONE_ESPRESSO).get("id").asText();

    for (Role role : Role.values()) {
      Reply reply = server.get("/api/orders/" + id, server.token(role));
      assertThat(reply.status()).as(role.name()).isEqualTo(200);
      assertThat(reply.json().get("id").asText()).isEqualTo(id);
    }
  }

  @Test
  void aDineInOrderKeepsItsTable() {
    JsonNode order = Orders.place(server, cashier, "{\"type\":\"DINE_IN\",\"table\":\" 5 \",\"lines\":[" + line("espresso", 1) + "]}");

    assertThat(order.get("type").asText()).isEqualTo("DINE_IN");
    assertThat(order.get("table").asText()).isEqualTo("5");
  }

  @Test
  void anAdminCanTakeAnOrderToo() {
    assertThat(Orders.place(server, admin, Orders.ONE_ESPRESSO).get("status").asText()).isEqualTo("CREATED");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "one espresso                         | {\"itemId\":\"espresso\",\"quantity\":1}                               | 350",
      "espresso with every extra            | {\"itemId\":\"espresso\",\"quantity\":1,\"options\":[\"extra-shot\",\"vanilla-syrup\",\"decaf\"]} | 460",
      "99 sparkling waters                  | {\"itemId\":\"sparkling-water\",\"quantity\":99}                       | 39600",
      "avocado toast with egg and bacon x3  | {\"itemId\":\"avocado-toast\",\"quantity\":3,\"options\":[\"add-egg\",\"add-bacon\"]} | 7050",
      "regular almond latte with syrup      | {\"itemId\":\"latte\",\"quantity\":1,\"options\":[\"size-regular\",\"milk-almond\",\"caramel-syrup\"]} | 620",
      "a warmed brownie                     | {\"itemId\":\"brownie\",\"quantity\":2,\"options\":[\"warmed\"]}        | 1200",
  })
  void pricesComeFromTheMenuAndTaxIsTheIncludedGst(String what, String line, long expectedTotal) {
    JsonNode order = Orders.place(server, cashier, takeaway(line));

    assertThat(order.get("total").asLong()).isEqualTo(expectedTotal);
    assertThat(order.get("subtotal").asLong()).as("prices include GST").isEqualTo(expectedTotal);
    assertThat(order.get("tax").asLong()).isEqualTo(includedGst(expectedTotal));
  }

  @Test
  void severalLinesAddUpAndTheTaxIsTakenFromTheTotal() {
    JsonNode order = Orders.place(server, cashier, takeaway(
        line("flat-white", 2, "size-large", "milk-oat"),
        line("avocado-toast", 1, "add-egg"),
        line("orange-juice", 3),
        line("carrot-cake", 1)));

    long sum = 0;
    for (JsonNode line : order.get("lines")) {
      assertThat(line.get("lineTotal").asLong()).isEqualTo(line.get("unitPrice").asLong() * line.get("quantity").asLong());
      sum += line.get("lineTotal").asLong();
    }
    assertThat(sum).isEqualTo(1240 + 1950 + 1800 + 750);
    assertThat(order.get("subtotal").asLong()).isEqualTo(sum);
    assertThat(order.get("total").asLong()).isEqualTo(sum);
    assertThat(order.get("tax").asLong()).isEqualTo(includedGst(sum)).isEqualTo(522); // 5740 / 11 = 521.8
  }

  @Test
  void aNoteIsTrimmedAndABlankNoteIsDropped() {
    JsonNode order = Orders.place(server, cashier, takeaway(
        "{\"itemId\":\"espresso\",\"quantity\":1,\"note\":\"  no sugar  \"}",
        "{\"itemId\":\"espresso\",\"quantity\":1,\"note\":\"   \"}"));

    assertThat(order.get("lines").get(0).get("note").asText()).isEqualTo("no sugar");
    assertThat(order.get("lines").get(1).get("note").isNull()).isTrue();
  }

  @Test
  void aNoteOfExactly200CharactersIsKept() {
    String note = "é".repeat(200);

    JsonNode order = Orders.place(server, cashier, takeaway("{\"itemId\":\"espresso\",\"quantity\":1,\"note\":\"" + note + "\"}"));

    assertThat(order.get("lines").get(0).get("note").asText()).isEqualTo(note);
    String id = order.get("id").asText();
    assertThat(server.get("/api/orders/" + id, cashier).json().get("lines").get(0).get("note").asText()).isEqualTo(note);
  }

  @Test
  void linesKeepTheirOrderAndOptionsTheirChosenOrder() {
    JsonNode order = Orders.place(server, cashier, takeaway(
        line("mocha", 1, "vanilla-syrup", "size-small", "milk-skim"),
        line("banana-bread", 1)));

    assertThat(order.get("lines").get(0).get("itemId").asText()).isEqualTo("mocha");
    assertThat(order.get("lines").get(0).get("options")).extracting(o -> o.get("id").asText())
        .containsExactly("vanilla-syrup", "size-small", "milk-skim");
    assertThat(order.get("lines").get(1).get("itemId").asText()).isEqualTo("banana-bread");
    assertThat(order.get("lines").get(1).get("options")).isEmpty();
  }

  @Test
  void anOrderGoesThroughItsWholeLifeOneTransitionAtATime() {
    JsonNode created = Orders.place(server, cashier, Orders.ONE_ESPRESSO);
    String id = created.get("id").asText();

    assertMovedTo(cashier, id, "PAYMENT_PENDING");
    assertMovedTo(admin, id, "PAID");
    assertMovedTo(kitchen, id, "IN_PREPARATION");
    assertMovedTo(kitchen, id, "READY");
    JsonNode completed = assertMovedTo(cashier, id, "COMPLETED");

    assertThat(completed.get("createdAt")).isEqualTo(created.get("createdAt"));
    assertThat(completed.get("orderNumber")).isEqualTo(created.get("orderNumber"));
    assertThat(completed.get("total")).isEqualTo(created.get("total"));
    assertThat(Orders.statusOf(server, cashier, id)).isEqualTo("COMPLETED");
  }

  @Test
  void aCashierCanCancelAnOrderBeforeItIsPaid() {
    String fresh = Orders.place(server, cashier, Orders.ONE_ESPRESSO).get("id").asText();
    String pending = Orders.orderIn(server, admin, "PAYMENT_PENDING");

    assertMovedTo(cashier, fresh, "CANCELLED");
    assertMovedTo(cashier, pending, "CANCELLED");
  }

  private static JsonNode assertMovedTo(String token, String id, String status) {
    server.clock.advance(Duration.ofMinutes(1));
    Reply reply = Orders.move(server, token, id, status);

    assertThat(reply.status()).as(reply.raw()).isEqualTo(200);
    assertThat(reply.json().get("id").asText()).isEqualTo(id);
    assertThat(reply.json().get("status").asText()).isEqualTo(status);
    assertThat(reply.json().get("updatedAt").asText()).isEqualTo(server.clock.instant().toString());
    assertThat(server.get("/api/orders/" + id, token).json()).isEqualTo(reply.json());
    return reply.json();
  }

  /** round_half_even(total × 1000 / 11000): the GST inside a price that includes 10%. */
  private static long includedGst(long total) {
    return BigDecimal.valueOf(total).multiply(BigDecimal.valueOf(1000))
        .divide(BigDecimal.valueOf(11000), 0, RoundingMode.HALF_EVEN).longValueExact();
  }
}
