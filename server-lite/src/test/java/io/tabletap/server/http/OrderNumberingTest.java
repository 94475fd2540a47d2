package io.tabletap.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tabletap.server.device.Role;
import io.tabletap.server.testing.RunningServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Order numbers count up per cafe and business day; the demo cafe's day starts at 04:00 in
 * Sydney. Each test works on business days no other test touches, so they share one server.
 */
class OrderNumberingTest {
  private static final ZoneId SYDNEY = ZoneId.of("Australia/Sydney");

  @TempDir static Path dir;
  static RunningServer server;
  static String cashier;
  static String admin;

  @BeforeAll
  static void start() {
    server = RunningServer.start(dir);
    cashier = server.token(Role.CASHIER);
    admin = server.token(Role.ADMIN);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void numbersCountUpFromOneWithinABusinessDay() {
    at("2026-12-01T10:00");

    assertThat(List.of(place(), place(), place())).extracting(o -> o.get("orderNumber").asInt()).containsExactly(1, 2, 3);
    assertThat(place().get("businessDate").asText()).isEqualTo("2026-12-01");
  }

  @Test
  void theBusinessDayRunsPastMidnightUntilFourInTheMorning() {
    at("2026-12-02T23:30");
    assertNumberAndDay(place(), 1, "2026-12-02");
    at("2026-12-03T00:30");
    assertNumberAndDay(place(), 2, "2026-12-02");
    at("2026-12-03T03:59:59.999");
    assertNumberAndDay(place(), 3, "2026-12-02");

    at("2026-12-03T04:00");
    assertNumberAndDay(place(), 1, "2026-12-03");
  }

  @Test
  void numberingRestartsAtOneAfterFourTheNextMorning() {
    at("2026-12-05T10:00");
    place();
    place();
    assertNumberAndDay(place(), 3, "2026-12-05");

    server.clock.advance(Duration.ofHours(18).plusMinutes(1)); // 04:01 on the 6th

    assertNumberAndDay(place(), 1, "2026-12-06");
    assertNumberAndDay(place(), 2, "2026-12-06");
  }

  @Test
  void aCancelledOrdersNumberIsNotGivenAgain() {
    at("2026-12-08T09:00");
    JsonNode first = place();
    assertThat(Orders.move(server, cashier, first.get("id").asText(), "CANCELLED").status()).isEqualTo(200);

    assertThat(place().get("orderNumber").asInt()).isEqualTo(2);
  }

  @Test
  void aRefusedOrderTakesNoNumber() {
    at("2026-12-09T09:00");
    place();
    assertThat(server.postJson("/api/orders", cashier, Orders.takeaway("{\"itemId\":\"eggs-benedict\",\"quantity\":1}")).status())
        .isEqualTo(422);
    assertThat(server.postJson("/api/orders", cashier, "{\"type\":").status()).isEqualTo(400);

    assertThat(place().get("orderNumber").asInt()).isEqualTo(2);
  }

  @Test
  void aReplayedOrderKeepsItsNumberAndTakesNoNewOne() {
    at("2026-12-10T09:00");
    Map<String, String> key = Map.of("Idempotency-Key", "numbering-replay");
    assertThat(server.postJson("/api/orders", cashier, Orders.ONE_ESPRESSO, key).json().get("orderNumber").asInt()).isEqualTo(1);
    assertThat(server.postJson("/api/orders", cashier, Orders.ONE_ESPRESSO, key).json().get("orderNumber").asInt()).isEqualTo(1);

    assertThat(place().get("orderNumber").asInt()).isEqualTo(2);
  }

  @Test
  void eachCafeCountsItsOwnOrders() {
    try (DatabaseProbe db = DatabaseProbe.open(dir)) {
      db.addCafeLikeDemo("numbering-second");
    }
    String secondTill = server.server().devices().create("numbering-second", Role.CASHIER, "second till").token();
    at("2026-12-11T09:00");
    place();
    place();

    JsonNode other = Orders.place(server, secondTill, Orders.ONE_ESPRESSO);

    assertNumberAndDay(other, 1, "2026-12-11");
    assertThat(place().get("orderNumber").asInt()).isEqualTo(3);
  }

  @Test
  void numbersStayUniqueUnderManyOrdersAtOnce() throws Exception {
    at("2026-12-12T09:00");
    List<Thread> tills = new ArrayList<>();
    List<Integer> numbers = Collections.synchronizedList(new ArrayList<>());
    for (int t = 0; t < 4; t++) {
      Thread till = new Thread(() -> {
        for (int i = 0; i < 5; i++) {
          numbers.add(place().get("orderNumber").asInt());
        }
      });
      tills.add(till);
      till.start();
    }
    for (Thread till : tills) {
      till.join();
    }

    assertThat(numbers).hasSize(20).doesNotHaveDuplicates().allMatch(n -> n >= 1 && n <= 20);
  }

  @Test
  void theDayStartsAtFourLocalTimeOnTheMorningDaylightSavingBegins() {
    at("2026-10-03T20:00"); // Saturday evening, AEST
    assertNumberAndDay(place(), 1, "2026-10-03");
    at("2026-10-04T03:30"); // clocks went from 02:00 to 03:00: still Saturday's business day
    assertNumberAndDay(place(), 2, "2026-10-03");

    at("2026-10-04T04:30"); // AEDT: Sunday's business day has begun
    assertNumberAndDay(place(), 1, "2026-10-04");
  }

  @Test
  void theDayStartsAtFourLocalTimeOnTheMorningDaylightSavingEnds() {
    at("2026-04-04T21:00"); // Saturday evening, AEDT
    assertNumberAndDay(place(), 1, "2026-04-04");
    at("2026-04-05T03:30"); // AEST, after clocks went back from 03:00 to 02:00: still Saturday's day
    assertNumberAndDay(place(), 2, "2026-04-04");

    at("2026-04-05T04:00");
    assertNumberAndDay(place(), 1, "2026-04-05");
  }

  /** Sets the clock to this local time in Sydney. */
  private static void at(String sydneyLocalTime) {
    server.clock.set(LocalDateTime.parse(sydneyLocalTime).atZone(SYDNEY).toInstant());
  }

  private static JsonNode place() {
    return Orders.place(server, cashier, Orders.ONE_ESPRESSO);
  }

  private static void assertNumberAndDay(JsonNode order, int number, String businessDate) {
    assertThat(order.get("orderNumber").asInt()).as("number of %s", order).isEqualTo(number);
    assertThat(order.get("businessDate").asText()).as("business date of %s", order).isEqualTo(businessDate);
  }
}
