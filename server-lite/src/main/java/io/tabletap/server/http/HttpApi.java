package io.tabletap.server.http;

import io.tabletap.server.config.TcpNoDelay;
import io.tabletap.server.errors.ApiException;
import io.tabletap.server.errors.ErrorBody;
import io.tabletap.server.errors.ErrorMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tabletap.server.webhook.WebhookRejectedException;
import io.tabletap.server.device.Device;
import io.tabletap.server.device.DeviceService;
import io.tabletap.server.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP endpoint on the JDK's {@code HttpServer}, with a bounded pool of handler threads.
 *
 * <p>Every request goes through the same checks, in this order: route (404, 405), token (401),
 * role (403), content type (415), size (413); then the handler. Every answer carries an {@code
 * X-Request-Id}; every error is a JSON body from {@link ErrorMapper}.
 */
public final class HttpApi {
  public static final int MAX_BODY_BYTES = 64 * 1024;
  /** How much of an unread request body is read and dropped before answering; see send(). */
  private static final int MAX_DISCARDED_BYTES = 1024 * 1024;
  /** Compiled once: String.matches compiles its pattern on every call. */
  private static final Pattern JSON_CONTENT_TYPE = Pattern.compile("application/json\\s*(;.*)?");
  private static final Logger log = LoggerFactory.getLogger(HttpApi.class);

  private final List<Route> routes;
  private final DeviceService devices;
  private final ErrorMapper errors = new ErrorMapper();
  private final InFlight inFlight = new InFlight();
  private HttpServer server;
  private ThreadPoolExecutor executor;

  public HttpApi(List<Route> routes, DeviceService devices) {
    this.routes = List.copyOf(routes);
    this.devices = devices;
  }

  /** Binds and starts serving; port 0 picks a free port (see {@link #port()}). */
  public void start(String bindAddress, int port, int threads, int queueCapacity) throws IOException {
    TcpNoDelay.forJdkHttpServers();
    server = HttpServer.create(new InetSocketAddress(bindAddress, port), 128);
    executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queueCapacity),
        namedThreads("http-"), new ThreadPoolExecutor.AbortPolicy());
    server.setExecutor(executor);
    server.createContext("/", this::serve);
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /**
   * Refuses new requests (503), lets those in flight finish for up to {@code graceSeconds}, then
   * closes the port. (JDK 17's {@code HttpServer.stop(delay)} always waits the whole delay, so we
   * count requests in flight ourselves and stop with no delay once they are done.)
   */
  public void stop(int graceSeconds) {
    if (server == null) {
      return;
    }
    inFlight.drain(TimeUnit.SECONDS.toMillis(graceSeconds));
    server.stop(0);
    executor.shutdown();
    try {
      if (!executor.awaitTermination(graceSeconds, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      executor.shutdownNow();
    }
    server = null;
  }

  private void serve(HttpExchange exchange) {
    long started = System.nanoTime();
    String correlationId = UUID.randomUUID().toString();
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getRawPath();
    Response response;
    if (!inFlight.enter()) {
      send(exchange, Response.of(503, new ErrorBody("shutting_down", "The server is stopping; try again shortly", null, null)),
          correlationId, started);
      return;
    }
    try {
      response = dispatch(exchange, method, path);
    } catch (Throwable error) {
      ErrorMapper.Mapped mapped = errors.map(error, correlationId, method + " " + path);
      response = Response.of(mapped.status(), mapped.body());
      if (mapped.status() == 401) {
        response = new Response(401, mapped.body(), Map.of("WWW-Authenticate", challenge(error)));
      }
      if (error instanceof MethodNotAllowed notAllowed) {
        response = new Response(405, mapped.body(), Map.of("Allow", notAllowed.allow));
      }
    }
    try {
      send(exchange, response, correlationId, started);
    } finally {
      inFlight.leave();
    }
  }

  /**
   * What a 401 asks for (RFC 9110 §11.6.1): a device token, or for a webhook its signature, which
   * no bearer token could replace (the scheme is ours; the header it names is in docs/api.md).
   */
  private static String challenge(Throwable error) {
    return error instanceof WebhookRejectedException ? "Signature realm=\"webhooks\"" : "Bearer realm=\"tabletap\"";
  }

  private Response dispatch(HttpExchange exchange, String method, String path) throws Exception {
    List<Route> samePath = new ArrayList<>();
    for (Route route : routes) {
      Optional<Map<String, String>> params = route.match(path);
      if (params.isEmpty()) {
        continue;
      }
      if (!route.method().equals(method)) {
        samePath.add(route);
        continue;
      }
      Device device = route.isPublic() ? null : authorise(exchange, route);
      byte[] body = route.takesBody() ? readBody(exchange) : new byte[0];
      Request request = new Request(method, path, decode(params.get()), query(exchange.getRequestURI().getRawQuery()),
          exchange.getRequestHeaders(), body, device);
      return route.handler().handle(request);
    }
    if (!samePath.isEmpty()) {
      TreeSet<String> allowed = new TreeSet<>();
      samePath.forEach(r -> allowed.add(r.method()));
      throw new MethodNotAllowed(method, path, String.join(", ", allowed));
    }
    throw new ApiException(404, "not_found", "No route " + method + " " + path);
  }

  private Device authorise(HttpExchange exchange, Route route) {
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new ApiException(401, "unauthorized", "Send a device token: Authorization: Bearer <token>");
    }
    Device device = devices.authenticate(header.substring(7).strip())
        .orElseThrow(() -> new ApiException(401, "unauthorized", "The device token is unknown or revoked"));
    if (!route.roles().contains(device.role())) {
      throw new ApiException(403, "forbidden", "A " + device.role() + " device may not call " + route.method() + " " + route.pattern());
    }
    return device;
  }

  private static byte[] readBody(HttpExchange exchange) throws IOException {
    String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
    if (contentType == null || !JSON_CONTENT_TYPE.matcher(contentType.toLowerCase(java.util.Locale.ROOT).strip()).matches()) {
      throw new ApiException(415, "unsupported_media_type", "Send the body as application/json");
    }
    String length = exchange.getRequestHeaders().getFirst("Content-Length");
    if (length != null) {
      try {
        if (Long.parseLong(length.strip()) > MAX_BODY_BYTES) {
          throw tooLarge();
        }
      } catch (NumberFormatException e) {
        throw new ApiException(400, "bad_request", "Content-Length is not a number");
      }
    }
    // Not closed here: send() reads what is left of a refused body; closing the exchange closes it.
    byte[] body = exchange.getRequestBody().readNBytes(MAX_BODY_BYTES + 1);
    if (body.length > MAX_BODY_BYTES) {
      throw tooLarge();
    }
    return body;
  }

  private static ApiException tooLarge() {
    return new ApiException(413, "payload_too_large", "The body is over " + MAX_BODY_BYTES / 1024 + " KiB");
  }

  /** @param started when the handler took the exchange (nanoTime): reported in {@code Server-Timing} */
  private void send(HttpExchange exchange, Response response, String correlationId, long started) {
    try (exchange) {
      discardUnreadBody(exchange);
      byte[] bytes;
      String contentType = "application/json; charset=utf-8";
      if (response.body() instanceof RawBody raw) {
        bytes = raw.bytes();
        contentType = raw.contentType();
      } else {
        bytes = response.body() == null ? new byte[0] : Json.mapper().writeValueAsBytes(response.body());
      }
      exchange.getResponseHeaders().set("X-Request-Id", correlationId);
      exchange.getResponseHeaders().set("Server-Timing", serverTiming(System.nanoTime() - started));
      exchange.getResponseHeaders().set("Cache-Control", "no-store");
      response.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
      if (bytes.length > 0) {
        exchange.getResponseHeaders().set("Content-Type", contentType);
      }
      exchange.sendResponseHeaders(response.status(), bytes.length == 0 ? -1 : bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    } catch (IOException e) {
      log.debug("[{}] client went away before the answer was sent: {}", correlationId, e.getMessage());
    }
  }

  /**
   * The W3C {@code Server-Timing} value for the time the server spent on a request, from its
   * handler taking it to its answer: what a client's own measure adds beyond it is waiting (for a
   * thread, for a core, on the network). The benchmarks report both (docs/performance.md).
   */
  static String serverTiming(long nanos) {
    return "app;dur=" + java.math.BigDecimal.valueOf(Math.max(0, nanos / 1_000), 3).toPlainString(); // microseconds as ms
  }

  /**
   * Reads and drops what is left of the request body (up to {@link #MAX_DISCARDED_BYTES}), such
   * as a body refused with 401, 415 or 413 before it was read. Closing a connection with unread
   * bytes in it makes TCP reset it, and the client would see the reset instead of our answer.
   */
  private static void discardUnreadBody(HttpExchange exchange) throws IOException {
    InputStream in = exchange.getRequestBody();
    byte[] buffer = new byte[8192];
    long left = MAX_DISCARDED_BYTES;
    int read;
    while (left > 0 && (read = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0) {
      left -= read;
    }
  }

  private static Map<String, String> decode(Map<String, String> raw) {
    Map<String, String> decoded = new LinkedHashMap<>();
    raw.forEach((k, v) -> decoded.put(k, urlDecode(v)));
    return decoded;
  }

  private static String urlDecode(String value) {
    try {
      return URLDecoder.decode(value, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, "bad_request", "Malformed percent-encoding in the URL");
    }
  }

  private static Map<String, List<String>> query(String rawQuery) {
    Map<String, List<String>> query = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return query;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = urlDecode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : urlDecode(pair.substring(eq + 1));
      query.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
    }
    return query;
  }

  private static ThreadFactory namedThreads(String prefix) {
    AtomicInteger counter = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + counter.incrementAndGet());
      thread.setDaemon(false);
      return thread;
    };
  }

  /** Counts requests being handled, so a stop can wait for exactly those. */
  private static final class InFlight {
    private int active;
    private boolean draining;

    synchronized boolean enter() {
      if (draining) {
        return false;
      }
      active++;
      return true;
    }

    synchronized void leave() {
      active--;
      notifyAll();
    }

    synchronized void drain(long timeoutMillis) {
      draining = true;
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
      try {
        while (active > 0) {
          long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
          if (left <= 0) {
            log.warn("Stopping with {} request(s) still in flight after the grace period", active);
            return;
          }
          wait(left);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static final class MethodNotAllowed extends ApiException {
    final String allow;

    MethodNotAllowed(String method, String path, String allow) {
      super(405, "method_not_allowed", method + " is not allowed on " + path + "; use " + allow);
      this.allow = allow;
    }
  }
}
