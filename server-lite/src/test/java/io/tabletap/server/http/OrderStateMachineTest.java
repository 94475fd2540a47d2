package io.tabletap.server.http;

import static io.tabletap.server.http.ApiAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import io.tabletap.server.device.Role;
import io.tabletap.server.testing.RunningServer;
import io.tabletap.server.testing.RunningServer.Reply;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every pair of statuses, tried by an ADMIN (who may set any status): the moves of the issue's
 * state machine succeed, every other one (staying put included) is 409 {@code illegal_transition}
 * and changes nothing.
 */
class OrderStateMachineTest {
  private static final List<String> STATUSES =
      List.of("CREATED", "PAYMENT_PENDING", "PAID", "IN_PREPARATION", "READY", "COMPLETED", "CANCELLED");

  /** CREATED → PAYMENT_PENDING → PAID → IN_PREPARATION → READY → COMPLETED; CANCELLED from the first two. */
  private static final Map<String, List<String>> LEGAL = Map.of(
      "CREATED", List.of("CANCELLED", "PAYMENT_PENDING"),
      "PAYMENT_PENDING", List.of("CANCELLED", "PAID"),
      "PAID", List.of("IN_PREPARATION", "REFUNDED"),
      "IN_PREPARATION", List.of("READY", "REFUNDED"),
      "READY", List.of("COMPLETED", "REFUNDED"),
      "COMPLETED", List.of("REFUNDED"),
      "CANCELLED", List.of());

  @TempDir static Path dir;
  static RunningServer server;
  static DatabaseProbe db;
  static String admin;

  @BeforeAll
  static void start() {
    server = RunningServer.start(dir);
    db = DatabaseProbe.open(dir);
    admin = server.token(Role.ADMIN);
  }

  @AfterAll
  static void stop() {
    db.close();
    server.close();
  }

  static Stream<Arguments> legalMoves() {
    // REFUNDED is reached only through refunds (CashAndRefundApiTest); over this endpoint it is a 403 for everyone.
    return STATUSES.stream().flatMap(from -> LEGAL.get(from).stream().filter(to -> !to.equals("REFUNDED")).map(to -> arguments(from, to)));
  }

  @ParameterizedTest(name = "{0} → {1}")
  @MethodSource("legalMoves")
  void aLegalMoveSucceeds(String from, String to) {
    String id = Orders.orderIn(server, admin, from);

    Reply reply = Orders.move(server, admin, id, to);

    assertThat(reply.status()).as(reply.raw()).isEqualTo(200);
    assertThat(reply.json().get("status").asText()).isEqualTo(to);
    assertThat(Orders.statusOf(server, admin, id)).isEqualTo(to);
  }

  /** One order per status, tried against every status it may not move to. */
  @ParameterizedTest(name = "from {0}")
  @MethodSource("statuses")
  void everyIllegalMoveIs409AndChangesNothing(String from) {
    String id = Orders.orderIn(server, admin, from);
    Map<String, List<String>> before = db.orderTables();
    List<String> illegal = STATUSES.stream().filter(to -> !LEGAL.get(from).contains(to)).toList();
    assertThat(illegal).contains(from);

    for (String to : illegal) {
      Reply reply = Orders.move(server, admin, id, to);

      JsonNode details = assertError(reply, 409, "illegal_transition").get("details");
      assertThat(ApiAssertions.fieldNames(details)).containsExactlyInAnyOrder("from", "to", "allowed");
      assertThat(details.get("from").asText()).isEqualTo(from);
      assertThat(details.get("to").asText()).as("%s → %s", from, to).isEqualTo(to);
      assertThat(details.get("allowed")).extracting(JsonNode::asText).containsExactlyElementsOf(LEGAL.get(from));
      assertThat(reply.json().get("message").asText()).contains(from, to);
    }
    assertThat(Orders.statusOf(server, admin, id)).isEqualTo(from);
    assertThat(db.orderTables()).isEqualTo(before);
  }

  static Stream<String> statuses() {
    return STATUSES.stream();
  }
}
