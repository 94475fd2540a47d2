package io.tabletap.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tabletap.server.device.Role;
import io.tabletap.server.testing.RunningServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stop lets the requests it finds in flight finish, refuses new ones, and releases port and database. */
class GracefulStopTest {
  private static final String ORDER =
      "{\"type\":\"TAKEAWAY\",\"lines\":[{\"itemId\":\"latte\",\"quantity\":1,\"options\":[\"size-regular\"]}]}";

  @TempDir Path dir;

  @Test
  void closingAnIdleServerTakesFarLessThanTheGracePeriod() {
    RunningServer server = RunningServer.start(dir);
    assertThat(server.get("/health", null).status()).isEqualTo(200);
    assertThat(server.server().config().shutdownGraceSeconds()).isEqualTo(10);

    long start = System.nanoTime();
    server.close();

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void afterCloseThePortRefusesConnectionsAndTheDataOpensInANewServer() {
    int port;
    String orderId;
    try (RunningServer server = RunningServer.start(dir)) {
      port = server.server().httpPort();
      RunningServer.Reply placed = server.postJson("/api/orders", server.token(Role.CASHIER), ORDER);
      assertThat(placed.status()).isEqualTo(201);
      orderId = placed.json().get("id").asText();
    }

    assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
    try (RunningServer again = RunningServer.start(dir)) {
      String cashier = again.token(Role.CASHIER);
      assertThat(again.get("/api/orders/" + orderId, cashier).status()).isEqualTo(200);
      assertThat(again.postJson("/api/orders", cashier, ORDER).json().get("orderNumber").asInt()).isEqualTo(2);
    }
  }

  /**
   * The request is held in flight by sending its body in two parts: the handler has authenticated
   * it and waits for the rest of the body while the server is told to stop.
   */
  @Test
  void aRequestInFlightWhenCloseIsCalledStillCompletesAndNewOnesAreRefused() throws Exception {
    RunningServer server = RunningServer.start(dir);
    Thread closer = new Thread(server::close, "closer");
    try (Socket socket = new Socket("127.0.0.1", server.server().httpPort())) {
      byte[] body = ORDER.getBytes(StandardCharsets.UTF_8);
      int half = body.length / 2;
      OutputStream out = socket.getOutputStream();
      out.write(("POST /api/orders HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + server.token(Role.CASHIER)
          + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.write(body, 0, half);
      out.flush();
      await("a handler waiting for the rest of the body").atMost(Duration.ofSeconds(10))
          .until(() -> Thread.getAllStackTraces().entrySet().stream()
              .anyMatch(e -> e.getKey().getName().startsWith("http-") && inMethod(e.getValue(), "readBody")));

      closer.start();
      await("close() waiting for the request in flight").atMost(Duration.ofSeconds(10))
          .until(() -> inMethod(closer.getStackTrace(), "drain"));
      assertThat(server.get("/health", null).status()).as("a new request while stopping").isEqualTo(503);

      out.write(body, half, body.length - half);
      out.flush();
      String response = readAll(socket.getInputStream());
      assertThat(response).startsWith("HTTP/1.1 201 ").contains("\"orderNumber\":1");
      closer.join(TimeUnit.SECONDS.toMillis(5));
      assertThat(closer.isAlive()).as("close() returned once the request was answered").isFalse();
    } finally {
      if (closer.getState() == Thread.State.NEW) {
        server.close();
      }
    }
    assertThatThrownBy(() -> new Socket("127.0.0.1", server.server().httpPort()).close()).isInstanceOf(Exception.class);
  }

  private static boolean inMethod(StackTraceElement[] stack, String method) {
    return Arrays.stream(stack).anyMatch(f -> f.getClassName().startsWith("io.tabletap.server.http.HttpApi")
        && f.getMethodName().equals(method));
  }

  private static String readAll(InputStream in) throws IOException {
    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }
}
