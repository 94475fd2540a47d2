package io.tabletap.server.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tabletap.server.device.Role;
import io.tabletap.server.testing.MutableClock;
import io.tabletap.server.testing.RunningServer;
import io.tabletap.server.testing.WsClient;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server pings (here every 100 ms, 15 s by default) and drops a peer silent for 300 ms (45 s). */
class LivenessTest {
  @TempDir static Path dir;
  static RunningServer server;
  static String kitchen;

  @BeforeAll
  static void start() {
    server = RunningServer.start(dir, new MutableClock(RunningServer.START),
        c -> c.withRealtime(c.realtime().withLiveness(Duration.ofMillis(100), Duration.ofMillis(300))));
    kitchen = server.token(Role.KITCHEN);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aPeerThatAnswersPingsStaysConnected() {
    WsClient client = WsClient.authenticated(server.wsUrl(), kitchen);

    await().atMost(Duration.ofSeconds(10)).until(() -> client.pingsReceived() >= 8); // over 2.5 silence limits

    assertThat(client.isClosedYet()).isFalse();
    client.sendJson("{\"type\":\"ping\"}");
    assertThat(client.next("pong")).isNotNull();
    client.close();
  }

  @Test
  void aPeerThatNeverAnswersIsDropped() throws Exception {
    try (Socket raw = new Socket("127.0.0.1", server.server().wsPort())) {
      raw.setSoTimeout((int) WsClient.WAIT.toMillis());
      OutputStream out = raw.getOutputStream();
      String key = Base64.getEncoder().encodeToString("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
      out.write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\nAuthorization: Bearer " + kitchen + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      long start = System.nanoTime();
      InputStream in = raw.getInputStream();
      byte[] buffer = new byte[4096];
      int pings = 0;
      StringBuilder head = new StringBuilder();
      int read;
      // Read the upgrade answer, the ready frame and the pings, never answering one, until the server hangs up.
      while ((read = in.read(buffer)) > 0) {
        for (int i = 0; i < read; i++) {
          if (head.length() < 12) {
            head.append((char) buffer[i]);
          }
          if ((buffer[i] & 0xff) == 0x89) {
            pings++;
          }
        }
      }
      long millis = (System.nanoTime() - start) / 1_000_000;

      assertThat(head.toString()).startsWith("HTTP/1.1 101");
      assertThat(pings).isGreaterThanOrEqualTo(2);
      assertThat(millis).isBetween(300L, 5_000L);
    }
  }
}
