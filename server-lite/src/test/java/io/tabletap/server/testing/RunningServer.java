package io.tabletap.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.tabletap.server.ServerConfig;
import io.tabletap.server.ServerLite;
import io.tabletap.server.device.Role;
import io.tabletap.server.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A real server-lite on a free port over a real H2 file in {@code dataDir}, with a clock the test
 * moves, and a small JSON-over-HTTP client for it.
 */
public final class RunningServer implements AutoCloseable {
  /** 10:00 in Sydney on a weekday: well inside a business day. */
  public static final Instant START = Instant.parse("2026-11-25T23:00:00Z");

  private final ServerLite server;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  public final MutableClock clock;
  public final Path dataDir;

  private RunningServer(Path dataDir, MutableClock clock, UnaryOperator<ServerConfig> tweak) throws IOException {
    this.dataDir = dataDir;
    this.clock = clock;
    this.server = ServerLite.start(tweak.apply(ServerConfig.forTest(dataDir)), clock);
  }

  /** A server whose test config {@code tweak} adjusts, e.g. to make the sandbox approve by itself. */
  public static RunningServer start(Path dataDir, MutableClock clock, UnaryOperator<ServerConfig> tweak) {
    try {
      return new RunningServer(dataDir, clock, tweak);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static RunningServer start(Path dataDir) {
    return start(dataDir, new MutableClock(START));
  }

  public static RunningServer start(Path dataDir, MutableClock clock) {
    return start(dataDir, clock, UnaryOperator.identity());
  }

  public ServerLite server() {
    return server;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.httpPort();
  }

  /** The WebSocket endpoint: {@code ws://127.0.0.1:<port>/ws}. */
  public String wsUrl() {
    return "ws://127.0.0.1:" + server.wsPort() + "/ws";
  }

  /** A fresh device token of {@code role} for the demo cafe. */
  public String token(Role role) {
    return server.devices().create("demo", role, role.name().toLowerCase() + " test device").token();
  }

  /** The status, headers and body (parsed as JSON when there is one) of one exchange. */
  public record Reply(int status, Map<String, java.util.List<String>> headers, String raw) {
    public JsonNode json() {
      try {
        return Json.mapper().readTree(raw);
      } catch (IOException e) {
        throw new AssertionError("Not JSON: " + raw, e);
      }
    }

    public String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
          .flatMap(e -> e.getValue().stream()).findFirst().orElse(null);
    }
  }

  public Reply get(String path, String token) {
    return send(request(path, token).GET().build());
  }

  /** The raw bytes of a GET, for images. */
  public byte[] getBytes(String path, String token) {
    try {
      HttpResponse<byte[]> response = http.send(request(path, token).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() != 200) {
        throw new AssertionError("GET " + path + " answered " + response.statusCode());
      }
      return response.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  public Reply postJson(String path, String token, String json) {
    return postJson(path, token, json, Map.of());
  }

  public Reply postJson(String path, String token, String json, Map<String, String> headers) {
    HttpRequest.Builder b = request(path, token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json));
    headers.forEach(b::header);
    return send(b.build());
  }

  public Reply send(String method, String path, String token, String contentType, byte[] body) {
    HttpRequest.Builder b = request(path, token).method(method,
        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    return send(b.build());
  }

  private HttpRequest.Builder request(String path, String token) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(10));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b;
  }

  private Reply send(HttpRequest request) {
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      return new Reply(response.statusCode(), response.headers().map(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    server.close();
  }
}
