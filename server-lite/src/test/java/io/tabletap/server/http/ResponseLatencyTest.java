package io.tabletap.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.tabletap.server.testing.RunningServer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A kitchen screen hears of a paid order within milliseconds, so an answer must not sit in the
 * server's socket waiting for the client's delayed ACK (Nagle's algorithm: 40 ms or more on Linux).
 */
class ResponseLatencyTest {
  private static final int REQUESTS = 40;

  @TempDir Path dir;

  @Test
  void answersAreNotHeldBackByNaglesAlgorithm() {
    try (RunningServer server = RunningServer.start(dir)) {
      for (int i = 0; i < 10; i++) {
        assertThat(server.get("/health", null).status()).isEqualTo(200);
      }
      long[] micros = new long[REQUESTS];
      for (int i = 0; i < REQUESTS; i++) {
        long start = System.nanoTime();
        assertThat(server.get("/health", null).status()).isEqualTo(200);
        micros[i] = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start);
      }
      Arrays.sort(micros);
      assertThat(micros[REQUESTS / 2]).as("median round trip in µs of a GET /health on loopback").isLessThan(25_000);
    }
  }
}
