package io.tabletap.server.http;

import static io.tabletap.server.http.ApiAssertions.assertPlainError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.tabletap.server.device.Role;
import io.tabletap.server.testing.RunningServer;
import io.tabletap.server.testing.RunningServer.Reply;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Which role may do what: taking orders, reading, and each transition. */
class RolesTest {
  /** The status each target is legally reached from, so only the role decides. */
  private static final Map<String, String> FROM = Map.of(
      "PAYMENT_PENDING", "CREATED",
      "PAID", "PAYMENT_PENDING",
      "IN_PREPARATION", "PAID",
      "READY", "IN_PREPARATION",
      "COMPLETED", "READY",
      "CANCELLED", "CREATED");

  private static final Map<Role, Set<String>> MAY_MOVE_TO = new EnumMap<>(Map.of(
      Role.ADMIN, Set.of("PAYMENT_PENDING", "PAID", "IN_PREPARATION", "READY", "COMPLETED", "CANCELLED"),
      Role.CASHIER, Set.of("PAYMENT_PENDING", "CANCELLED", "IN_PREPARATION", "READY", "COMPLETED"),
      Role.KITCHEN, Set.of("IN_PREPARATION", "READY"),
      Role.CUSTOMER_DISPLAY, Set.of()));

  @TempDir static Path dir;
  static RunningServer server;
  static DatabaseProbe db;
  static final Map<Role, String> tokens = new EnumMap<>(Role.class);

  @BeforeAll
  static void start() {
    server = RunningServer.start(dir);
    db = DatabaseProbe.open(dir);
    Arrays.stream(Role.values()).forEach(role -> tokens.put(role, server.token(role)));
  }

  @AfterAll
  static void stop() {
    db.close();
    server.close();
  }

  @ParameterizedTest
  @EnumSource(value = Role.class, names = {"ADMIN", "CASHIER"})
  void tillsAndAdminsMayTakeOrders(Role role) {
    Reply reply = server.postJson("/api/orders", tokens.get(role), Orders.ONE_ESPRESSO);

    assertThat(reply.status()).as(reply.raw()).isEqualTo(201);
  }

  @ParameterizedTest
  @EnumSource(value = Role.class, names = {"KITCHEN", "CUSTOMER_DISPLAY"})
  void kitchenAndCustomerDisplaysMayNotTakeOrders(Role role) {
    Map<String, List<String>> before = db.orderTables();

    Reply reply = server.postJson("/api/orders", tokens.get(role), Orders.ONE_ESPRESSO);

    assertPlainError(reply, 403, "forbidden");
    assertThat(reply.json().get("message").asText()).contains(role.name());
    assertThat(db.orderTables()).isEqualTo(before);
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void everyRoleMayReadTheMenuTheOrdersAndAnOrder(Role role) {
    String id = Orders.place(server, tokens.get(Role.CASHIER), Orders.ONE_ESPRESSO).get("id").asText();
    String token = tokens.get(role);

    assertThat(server.get("/api/menu", token).status()).isEqualTo(200);
    Reply list = server.get("/api/orders?limit=500", token);
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.json()).extracting(o -> o.get("id").asText()).contains(id);
    assertThat(server.get("/api/orders/" + id, token).status()).isEqualTo(200);
  }

  static Stream<Arguments> roleAndTarget() {
    return Arrays.stream(Role.values()).flatMap(role -> FROM.keySet().stream().sorted().map(to -> arguments(role, to)));
  }

  @ParameterizedTest(name = "{0} → {1}")
  @MethodSource("roleAndTarget")
  void eachRoleMovesOrdersOnlyToItsStatuses(Role role, String to) {
    String id = Orders.orderIn(server, tokens.get(Role.ADMIN), FROM.get(to));
    Map<String, List<String>> before = db.orderTables();

    Reply reply = Orders.move(server, tokens.get(role), id, to);

    if (MAY_MOVE_TO.get(role).contains(to)) {
      assertThat(reply.status()).as(reply.raw()).isEqualTo(200);
      assertThat(Orders.statusOf(server, tokens.get(role), id)).isEqualTo(to);
    } else {
      assertPlainError(reply, 403, "forbidden");
      assertThat(Orders.statusOf(server, tokens.get(role), id)).isEqualTo(FROM.get(to));
      assertThat(db.orderTables()).isEqualTo(before);
    }
  }

  @Test
  void aRoleRefusalComesBeforeTheStateMachine() {
    String id = Orders.orderIn(server, tokens.get(Role.ADMIN), "CREATED");

    // READY is out of reach from CREATED for anyone; the kitchen still hears "not yours" first for PAID.
    assertPlainError(Orders.move(server, tokens.get(Role.KITCHEN), id, "PAID"), 403, "forbidden");
    ApiAssertions.assertError(Orders.move(server, tokens.get(Role.KITCHEN), id, "READY"), 409, "illegal_transition");
  }

  @Test
  void onlyAnAdminMaySetPaidByHand() {
    String id = Orders.orderIn(server, tokens.get(Role.ADMIN), "PAYMENT_PENDING");

    assertPlainError(Orders.move(server, tokens.get(Role.CASHIER), id, "PAID"), 403, "forbidden");
    assertPlainError(Orders.move(server, tokens.get(Role.KITCHEN), id, "PAID"), 403, "forbidden");
    assertPlainError(Orders.move(server, tokens.get(Role.CUSTOMER_DISPLAY), id, "PAID"), 403, "forbidden");
    assertThat(Orders.move(server, tokens.get(Role.ADMIN), id, "PAID").status()).isEqualTo(200);
  }
}
