package io.tabletap.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tabletap.server.device.Role;
import io.tabletap.server.testing.MutableClock;
import io.tabletap.server.testing.RunningServer;
import io.tabletap.server.testing.RunningServer.Reply;
import io.tabletap.server.testing.WsClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pairing a new device with a six-digit code: issue, single use, expiry, guess limit, roles. */
class PairingTest {
  @TempDir static Path dir;
  static final MutableClock clock = new MutableClock(RunningServer.START);
  static final Set<String> issued = new HashSet<>();
  static RunningServer server;
  static String admin;
  static String cashier;

  @BeforeAll
  static void start() {
    server = RunningServer.start(dir, clock);
    admin = server.token(Role.ADMIN);
    cashier = server.token(Role.CASHIER);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static JsonNode newCode(String token) {
    Reply reply = server.postJson("/api/pairing-codes", token, "{}");
    assertThat(reply.status()).as(reply.raw()).isEqualTo(201);
    issued.add(reply.json().get("code").asText());
    return reply.json();
  }

  private static Reply pair(String code, String role, String name) {
    return server.postJson("/api/pair", null, "{\"code\":\"" + code + "\",\"role\":\"" + role + "\",\"name\":\"" + name + "\"}");
  }

  /** Six digits that are no code this test class was given. */
  private static String wrongGuess(int n) {
    String guess;
    int i = n;
    do {
      guess = String.format("%06d", (i++ * 7919) % 1_000_000);
    } while (issued.contains(guess));
    return guess;
  }

  @Test
  void anAdminGetsASixDigitCodeValidForTenMinutesAndAPairingUrl() {
    JsonNode code = newCode(admin);

    assertThat(code.get("code").asText()).matches("[0-9]{6}");
    assertThat(code.get("expiresAt").asText()).isEqualTo(clock.instant().plus(Duration.ofMinutes(10)).toString());
    String host = "127.0.0.1:" + server.server().httpPort();
    assertThat(code.get("host").asText()).isEqualTo(host);
    assertThat(code.get("url").asText()).isEqualTo("tabletap://pair?host=127.0.0.1%3A" + server.server().httpPort()
        + "&code=" + code.get("code").asText());
  }

  @Test
  void aKitchenDeviceMayNotAskForACode() {
    Reply reply = server.postJson("/api/pairing-codes", server.token(Role.KITCHEN), "{}");

    assertThat(reply.status()).isEqualTo(403);
  }

  @Test
  void aNewDeviceTradesTheCodeForAWorkingTokenOnce() {
    String code = newCode(cashier).get("code").asText();

    Reply paired = pair(code, "KITCHEN", "Kitchen by the pass");

    assertThat(paired.status()).as(paired.raw()).isEqualTo(201);
    JsonNode device = paired.json();
    assertThat(device.get("role").asText()).isEqualTo("KITCHEN");
    assertThat(device.get("cafeId").asText()).isEqualTo("demo");
    assertThat(device.get("name").asText()).isEqualTo("Kitchen by the pass");
    assertThat(device.get("wsPort").asInt()).isEqualTo(server.server().wsPort());
    String token = device.get("token").asText();
    assertThat(server.get("/api/menu", token).status()).isEqualTo(200);
    WsClient socket = WsClient.authenticated(server.wsUrl(), token);
    socket.close();

    Reply again = pair(code, "KITCHEN", "A second kitchen");
    assertThat(again.status()).isEqualTo(401);
    assertThat(again.json().get("error").asText()).isEqualTo("invalid_pairing_code");
  }

  @Test
  void aCodeExpiresTenMinutesAfterItWasMade() {
    String early = newCode(admin).get("code").asText();
    String late = newCode(admin).get("code").asText();

    clock.advance(Duration.ofMinutes(10).minusMillis(1));
    assertThat(pair(early, "CUSTOMER_DISPLAY", "Board").status()).isEqualTo(201);
    clock.advance(Duration.ofMillis(1));

    assertThat(pair(late, "CUSTOMER_DISPLAY", "Board").status()).isEqualTo(401);
  }

  @Test
  void fiveWrongGuessesBurnALiveCode() {
    String code = newCode(admin).get("code").asText();

    for (int i = 0; i < 5; i++) {
      Reply wrong = pair(wrongGuess(i), "KITCHEN", "Guesser");
      assertThat(wrong.status()).isEqualTo(401);
      assertThat(wrong.json().get("error").asText()).isEqualTo("invalid_pairing_code");
    }

    assertThat(pair(code, "KITCHEN", "Kitchen").status()).isEqualTo(401);
  }

  @Test
  void fourWrongGuessesLeaveTheCodeUsable() {
    String code = newCode(admin).get("code").asText();

    for (int i = 100; i < 104; i++) {
      assertThat(pair(wrongGuess(i), "KITCHEN", "Guesser").status()).isEqualTo(401);
    }

    assertThat(pair(code, "KITCHEN", "Kitchen").status()).isEqualTo(201);
  }

  @Test
  void aCashiersCodeCannotPairAnAdminButStaysUsable() {
    String code = newCode(cashier).get("code").asText();

    Reply admin = pair(code, "ADMIN", "Sneaky");
    assertThat(admin.status()).isEqualTo(403);

    assertThat(pair(code, "CASHIER", "Second till").status()).isEqualTo(201);
  }

  @Test
  void anAdminsCodeCanPairAnAdmin() {
    String code = newCode(admin).get("code").asText();

    assertThat(pair(code, "ADMIN", "Manager's tablet").status()).isEqualTo(201);
  }

  @Test
  void aMalformedRequestIsRefusedWithoutCountingAsAGuess() {
    String code = newCode(admin).get("code").asText();

    for (int i = 0; i < 6; i++) {
      assertThat(pair("12345", "KITCHEN", "x").status()).isEqualTo(422);
    }
    assertThat(pair(code, "KITCHEN", "").status()).isEqualTo(422);
    assertThat(server.postJson("/api/pair", null, "{\"code\":\"" + code + "\",\"role\":\"CHEF\",\"name\":\"x\"}").status())
        .isEqualTo(422);

    assertThat(pair(code, "KITCHEN", "Kitchen").status()).isEqualTo(201);
  }
}
