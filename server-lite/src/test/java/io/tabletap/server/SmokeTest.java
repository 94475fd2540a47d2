package io.tabletap.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tabletap.server.device.Role;
import io.tabletap.server.testing.RunningServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmokeTest {
  @TempDir Path dir;

  @Test
  void aCashierTokenCanCreateAnOrderForTheDemoMenu() {
    try (RunningServer server = RunningServer.start(dir)) {
      String cashier = server.token(Role.CASHIER);
      RunningServer.Reply reply = server.postJson("/api/orders", cashier,
          "{\"type\":\"TAKEAWAY\",\"lines\":[{\"itemId\":\"flat-white\",\"quantity\":2,\"options\":[\"size-large\",\"milk-oat\"]}]}");
      assertThat(reply.status()).isEqualTo(201);
      assertThat(reply.json().get("total").asLong()).isEqualTo(2 * (450 + 100 + 70));
      assertThat(reply.json().get("orderNumber").asInt()).isEqualTo(1);
    }
  }
}
