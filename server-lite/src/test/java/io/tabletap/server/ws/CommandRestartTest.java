package io.tabletap.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tabletap.server.device.Role;
import io.tabletap.server.testing.MutableClock;
import io.tabletap.server.testing.RunningServer;
import io.tabletap.server.testing.WsClient;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A command id seen before a restart still returns its first result after it, and does nothing. */
class CommandRestartTest {
  @TempDir Path dir;

  @Test
  void aCommandRepeatedAfterARestartReturnsTheFirstResultAndCreatesNothing() {
    MutableClock clock = new MutableClock(RunningServer.START);
    String id = UUID.randomUUID().toString();
    String payId = UUID.randomUUID().toString();
    String cashier;
    JsonNode created;
    JsonNode paid;
    try (RunningServer first = RunningServer.start(dir, clock)) {
      cashier = first.token(Role.CASHIER);
      WsClient till = WsClient.authenticated(first.wsUrl(), cashier);
      created = CommandsTest.command(till, id, "order.create", Scene.ONE_ESPRESSO);
      paid = CommandsTest.command(till, payId, "payment.start", "{\"orderId\":\"" + created.get("data").get("orderId").asText()
          + "\",\"method\":\"CASH\",\"tendered\":400}");
      till.close();
    }

    try (RunningServer second = RunningServer.start(dir, clock)) {
      WsClient till = WsClient.authenticated(second.wsUrl(), cashier);

      assertThat(CommandsTest.command(till, id, "order.create", Scene.ONE_ESPRESSO)).isEqualTo(created);
      assertThat(CommandsTest.command(till, payId, "payment.start", "{}")).isEqualTo(paid);
      assertThat(second.get("/api/orders", cashier).json().size()).isEqualTo(1);
      String orderId = created.get("data").get("orderId").asText();
      assertThat(second.get("/api/orders/" + orderId + "/payments", cashier).json().size()).isEqualTo(1);
      till.close();
    }
  }
}
