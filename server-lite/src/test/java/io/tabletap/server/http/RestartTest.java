package io.tabletap.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tabletap.server.device.Role;
import io.tabletap.server.testing.MutableClock;
import io.tabletap.server.testing.RunningServer;
import io.tabletap.server.testing.RunningServer.Reply;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Orders taken before a stop are there after a start on the same data dir: their content, their
 * status, their idempotency keys, the day's numbering and the devices' tokens.
 */
class RestartTest {
  private static final String KEY = "before-restart-" + UUID.randomUUID();
  private static final UUID CLIENT_ID = UUID.randomUUID();
  private static final String DINE_IN = "{\"id\":\"" + CLIENT_ID + "\",\"type\":\"DINE_IN\",\"table\":\"7\",\"lines\":["
      + "{\"itemId\":\"flat-white\",\"quantity\":2,\"options\":[\"size-large\",\"milk-oat\"],\"note\":\"extra hot\"}]}";

  @TempDir static Path dir;
  static RunningServer restarted;
  static String cashier;
  static JsonNode takeaway;
  static JsonNode dineIn;
  static JsonNode toMoveOn;
  static boolean firstStartGaveAnAdminToken;

  @BeforeAll
  static void takeOrdersThenRestart() {
    MutableClock clock = new MutableClock(RunningServer.START);
    try (RunningServer first = RunningServer.start(dir, clock)) {
      firstStartGaveAnAdminToken = first.server().firstAdminToken().isPresent();
      cashier = first.token(Role.CASHIER);
      takeaway = first.postJson("/api/orders", cashier, Orders.ONE_ESPRESSO, Map.of("Idempotency-Key", KEY)).json();
      dineIn = Orders.place(first, cashier, DINE_IN);
      toMoveOn = Orders.place(first, cashier, Orders.ONE_ESPRESSO);
      clock.advance(Duration.ofMinutes(5));
      dineIn = Orders.move(first, cashier, dineIn.get("id").asText(), "PAYMENT_PENDING").json();
    }
    clock.advance(Duration.ofMinutes(5));
    restarted = RunningServer.start(dir, clock);
  }

  @AfterAll
  static void stop() {
    restarted.close();
  }

  @Test
  void anOrderIsStillThereExactlyAsItWas() {
    Reply reply = restarted.get("/api/orders/" + dineIn.get("id").asText(), cashier);

    assertThat(reply.status()).as(reply.raw()).isEqualTo(200);
    assertThat(reply.json()).isEqualTo(dineIn);
    assertThat(reply.json().get("status").asText()).isEqualTo("PAYMENT_PENDING");
    assertThat(reply.json().get("lines").get(0).get("note").asText()).isEqualTo("extra hot");
  }

  @Test
  void theListStillHoldsEveryOrder() {
    Reply reply = restarted.get("/api/orders", cashier);

    assertThat(reply.json()).contains(takeaway, dineIn, toMoveOn);
  }

  @Test
  void numberingContinuesWithinTheSameBusinessDay() {
    assertThat(takeaway.get("orderNumber").asInt()).isEqualTo(1);
    assertThat(dineIn.get("orderNumber").asInt()).isEqualTo(2);
    assertThat(toMoveOn.get("orderNumber").asInt()).isEqualTo(3);

    JsonNode next = Orders.place(restarted, cashier, Orders.ONE_ESPRESSO);

    assertThat(next.get("orderNumber").asInt()).isEqualTo(4);
    assertThat(next.get("businessDate")).isEqualTo(takeaway.get("businessDate"));
  }

  @Test
  void anIdempotencyKeyStillReplaysTheFirstOrder() {
    Reply retry = restarted.postJson("/api/orders", cashier, Orders.ONE_ESPRESSO, Map.of("Idempotency-Key", KEY));

    assertThat(retry.status()).as(retry.raw()).isEqualTo(200);
    assertThat(retry.json().get("id")).isEqualTo(takeaway.get("id"));
    assertThat(retry.json().get("orderNumber")).isEqualTo(takeaway.get("orderNumber"));
    ApiAssertions.assertPlainError(restarted.postJson("/api/orders", cashier, Orders.takeaway(
        "{\"itemId\":\"latte\",\"quantity\":1,\"options\":[\"size-small\"]}"), Map.of("Idempotency-Key", KEY)),
        422, "idempotency_key_reused");
  }

  @Test
  void aClientChosenIdStillReplaysTheFirstOrder() {
    Reply retry = restarted.postJson("/api/orders", cashier, DINE_IN);

    assertThat(retry.status()).as(retry.raw()).isEqualTo(200);
    assertThat(retry.json().get("id").asText()).isEqualTo(CLIENT_ID.toString());
  }

  @Test
  void anOrderCarriesOnThroughItsLifeAfterARestart() {
    String admin = restarted.token(Role.ADMIN);
    String id = toMoveOn.get("id").asText();

    assertThat(Orders.move(restarted, cashier, id, "PAYMENT_PENDING").status()).isEqualTo(200);
    assertThat(Orders.move(restarted, admin, id, "PAID").status()).isEqualTo(200);
    assertThat(Orders.statusOf(restarted, cashier, id)).isEqualTo("PAID");
  }

  @Test
  void tokensStillWorkAndNoNewAdminTokenIsMade() {
    assertThat(firstStartGaveAnAdminToken).isTrue();
    assertThat(restarted.server().firstAdminToken()).isEmpty();
    assertThat(restarted.get("/api/menu", cashier).status()).isEqualTo(200);
  }
}
