package io.tabletap.server.http;

import static io.tabletap.server.http.ApiAssertions.assertFieldError;
import static io.tabletap.server.http.ApiAssertions.assertFieldErrors;
import static io.tabletap.server.http.ApiAssertions.fieldsAndCodes;
import static io.tabletap.server.http.Orders.line;
import static io.tabletap.server.http.Orders.takeaway;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import io.tabletap.server.device.Role;
import io.tabletap.server.testing.RunningServer;
import io.tabletap.server.testing.RunningServer.Reply;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * POST /api/orders and transitions with well-formed JSON that breaks the menu's or the API's
 * rules: 422 {@code validation_failed}, a field error per problem, and nothing written.
 */
class OrderValidationTest {
  @TempDir static Path dir;
  static RunningServer server;
  static DatabaseProbe db;
  static String cashier;
  static String admin;
  static String orderId;

  Map<String, List<String>> before;

  @BeforeAll
  static void start() {
    server = RunningServer.start(dir);
    db = DatabaseProbe.open(dir);
    cashier = server.token(Role.CASHIER);
    admin = server.token(Role.ADMIN);
    orderId = Orders.place(server, cashier, Orders.ONE_ESPRESSO).get("id").asText();
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
  void nothingWasWritten() {
    assertThat(db.orderTables()).isEqualTo(before);
  }

  static Stream<Arguments> refusedOrders() {
    return Stream.of(
        refused("an item not on the menu", takeaway(line("unicorn-latte", 1)), "lines[0].itemId", "unknown_item"),
        refused("an item that is unavailable", takeaway(line("eggs-benedict", 1)), "lines[0].itemId", "item_unavailable"),
        refused("quantity 0", takeaway(line("espresso", 0)), "lines[0].quantity", "bad_quantity"),
        refused("quantity 100", takeaway(line("espresso", 100)), "lines[0].quantity", "bad_quantity"),
        refused("a negative quantity", takeaway(line("espresso", -1)), "lines[0].quantity", "bad_quantity"),
        refused("no quantity", takeaway("{\"itemId\":\"espresso\"}"), "lines[0].quantity", "bad_quantity"),
        refused("a null quantity", takeaway("{\"itemId\":\"espresso\",\"quantity\":null}"), "lines[0].quantity", "bad_quantity"),
        refused("a flat white without a size", takeaway(line("flat-white", 1)), "lines[0].options", "missing_required_modifier"),
        refused("a flat white with milk but no size", takeaway(line("flat-white", 1, "milk-oat")), "lines[0].options",
            "missing_required_modifier"),
        refused("a note of 201 characters", takeaway(noted("espresso", "n".repeat(201))), "lines[0].note", "note_too_long"),
        refused("an option that does not exist", takeaway(line("espresso", 1, "whipped-cream")), "lines[0].options",
            "unknown_option"),
        refused("an option of another item", takeaway(line("flat-white", 1, "size-large", "add-bacon")), "lines[0].options",
            "unknown_option"),
        refused("two sizes", takeaway(line("flat-white", 1, "size-small", "size-large")), "lines[0].options", "too_many_options"),
        refused("four extras where three is the most",
            takeaway(line("flat-white", 1, "size-large", "extra-shot", "decaf", "vanilla-syrup", "caramel-syrup")),
            "lines[0].options", "too_many_options"),
        refused("the same option twice", takeaway(line("espresso", 1, "decaf", "decaf")), "lines[0].options", "duplicate_option"),
        refused("dine-in without a table", "{\"type\":\"DINE_IN\",\"lines\":[" + line("espresso", 1) + "]}", "table",
            "table_required"),
        refused("dine-in with a blank table", "{\"type\":\"DINE_IN\",\"table\":\"  \",\"lines\":[" + line("espresso", 1) + "]}",
            "table", "table_required"),
        refused("takeaway with a table", "{\"type\":\"TAKEAWAY\",\"table\":\"5\",\"lines\":[" + line("espresso", 1) + "]}",
            "table", "table_not_allowed"),
        refused("a table name of 21 characters",
            "{\"type\":\"DINE_IN\",\"table\":\"" + "t".repeat(21) + "\",\"lines\":[" + line("espresso", 1) + "]}", "table",
            "table_too_long"),
        refused("no type", "{\"lines\":[" + line("espresso", 1) + "]}", "type", "type_required"),
        refused("no lines", "{\"type\":\"TAKEAWAY\"}", "lines", "lines_required"),
        refused("an empty list of lines", takeaway(), "lines", "lines_required"),
        refused("101 lines", takeaway(Collections.nCopies(101, line("espresso", 1)).toArray(String[]::new)), "lines",
            "too_many_lines"),
        refused("a null line", takeaway("null"), "lines[0]", "line_required"),
        refused("a line without an item", takeaway("{\"quantity\":1}"), "lines[0].itemId", "item_required"),
        refused("a price sent by the client", takeaway("{\"itemId\":\"espresso\",\"quantity\":1,\"price\":1}"),
            "lines[0].price", "unknown_field"),
        refused("a total sent by the client", "{\"type\":\"TAKEAWAY\",\"total\":1,\"lines\":[" + line("espresso", 1) + "]}",
            "total", "unknown_field"),
        refused("type DELIVERY", "{\"type\":\"DELIVERY\",\"lines\":[" + line("espresso", 1) + "]}", "type", "invalid_value"),
        refused("type in lower case", "{\"type\":\"takeaway\",\"lines\":[" + line("espresso", 1) + "]}", "type",
            "invalid_value"),
        refused("quantity 2.5", takeaway("{\"itemId\":\"espresso\",\"quantity\":2.5}"), "lines[0].quantity", "invalid_value"),
        refused("quantity 2.0", takeaway("{\"itemId\":\"espresso\",\"quantity\":2.0}"), "lines[0].quantity", "invalid_value"),
        refused("quantity as a string", takeaway("{\"itemId\":\"espresso\",\"quantity\":\"2\"}"), "lines[0].quantity",
            "invalid_value"),
        refused("quantity as a boolean", takeaway("{\"itemId\":\"espresso\",\"quantity\":true}"), "lines[0].quantity",
            "invalid_value"),
        refused("a quantity too big for an int", takeaway("{\"itemId\":\"espresso\",\"quantity\":99999999999}"),
            "lines[0].quantity", "invalid_value"),
        refused("options as a string", takeaway("{\"itemId\":\"espresso\",\"quantity\":1,\"options\":\"decaf\"}"),
            "lines[0].options", "invalid_value"),
        refused("lines as an object", "{\"type\":\"TAKEAWAY\",\"lines\":{}}", "lines", "invalid_value"),
        refused("an id that is no UUID", "{\"id\":\"order-1\",\"type\":\"TAKEAWAY\",\"lines\":[" + line("espresso", 1) + "]}",
            "id", "invalid_value"),
        refused("an array for a body", "[]", "body", "invalid_value"),
        refused("a string for a body", "\"order\"", "body", "invalid_value"),
        refused("a JSON null for a body", "null", "body", "invalid_value"));
  }

  @ParameterizedTest
  @MethodSource("refusedOrders")
  void refusesAnOrderWithAFieldError(String body, String field, String code) {
    Reply reply = server.postJson("/api/orders", cashier, body);

    JsonNode details = assertFieldError(reply, field, code);
    assertThat(details).as("exactly one problem in %s", reply.raw()).hasSize(1);
  }

  @Test
  void listsEveryProblemOfAnOrderAtOnce() {
    String body = "{\"type\":\"DINE_IN\",\"lines\":[" + line("unicorn-latte", 1) + "," + line("espresso", 0) + ","
        + line("espresso", 1) + "," + line("flat-white", 1) + "]}";

    Reply reply = server.postJson("/api/orders", cashier, body);

    assertThat(fieldsAndCodes(assertFieldErrors(reply))).containsExactlyInAnyOrder(
        "table: table_required",
        "lines[0].itemId: unknown_item",
        "lines[1].quantity: bad_quantity",
        "lines[3].options: missing_required_modifier");
  }

  @Test
  void namesBothProblemsOfOneLine() {
    Reply reply = server.postJson("/api/orders", cashier, takeaway(line("eggs-benedict", 100)));

    assertThat(fieldsAndCodes(assertFieldErrors(reply)))
        .containsExactlyInAnyOrder("lines[0].itemId: item_unavailable", "lines[0].quantity: bad_quantity");
  }

  @Test
  void theMessageOfASingleProblemIsThatProblemsMessage() {
    JsonNode body = server.postJson("/api/orders", cashier, takeaway(line("unicorn-latte", 1))).json();

    assertThat(body.get("message").asText()).isEqualTo(body.get("details").get(0).get("message").asText()).contains("unicorn-latte");
  }

  @Test
  void refusesATransitionToAnUnknownStatus() {
    Reply reply = server.postJson("/api/orders/" + orderId + "/transitions", admin, "{\"to\":\"SHIPPED\"}");

    assertFieldError(reply, "to", "invalid_value");
  }

  @Test
  void refusesATransitionThatDoesNotSayWhereTo() {
    assertFieldError(server.postJson("/api/orders/" + orderId + "/transitions", admin, "{}"), "to", "status_required");
    assertFieldError(server.postJson("/api/orders/" + orderId + "/transitions", admin, "{\"to\":null}"), "to", "status_required");
  }

  @Test
  void refusesATransitionWithAnUnknownField() {
    Reply reply = server.postJson("/api/orders/" + orderId + "/transitions", admin, "{\"to\":\"PAYMENT_PENDING\",\"by\":\"me\"}");

    assertFieldError(reply, "by", "unknown_field");
  }

  private static Arguments refused(String what, String body, String field, String code) {
    return arguments(named(what, body), field, code);
  }

  private static String noted(String itemId, String note) {
    return "{\"itemId\":\"" + itemId + "\",\"quantity\":1,\"note\":\"" + note + "\"}";
  }
}
