package io.tabletap.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.tabletap.server.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;

/**
 * A real Java-WebSocket client for tests: records every frame it receives and how it was closed.
 * Waits have deadlines ({@link #WAIT}); nothing sleeps. {@link #stall()} makes it stop reading
 * (its reader thread blocks in the first frame after it) until {@link #resume()}.
 */
public final class WsClient extends WebSocketClient {
  public static final Duration WAIT = Duration.ofSeconds(10);

  private final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
  /** Frames passed over by {@link #nextOfType}/{@link #nextEvent}, returned first by later reads. */
  private final java.util.ArrayDeque<JsonNode> held = new java.util.ArrayDeque<>();
  private final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private volatile CountDownLatch gate;
  private final java.util.concurrent.atomic.AtomicInteger pings = new java.util.concurrent.atomic.AtomicInteger();
  private final java.util.concurrent.Semaphore pongSeen = new java.util.concurrent.Semaphore(0);

  private WsClient(URI uri, Map<String, String> headers) {
    super(uri, headers);
    setConnectionLostTimeout(0);
  }

  /** Connects (and waits for the upgrade) to {@code url} with these upgrade headers. */
  public static WsClient connect(String url, Map<String, String> headers) {
    WsClient client = new WsClient(URI.create(url), headers);
    try {
      if (!client.connectBlocking(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("Could not connect to " + url);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    return client;
  }

  public static WsClient connect(String url) {
    return connect(url, Map.of());
  }

  /** Connects and authenticates with an auth frame; the {@code ready} frame is consumed. */
  public static WsClient authenticated(String url, String token) {
    WsClient client = connect(url);
    client.sendJson("{\"type\":\"auth\",\"token\":\"" + token + "\"}");
    client.next("ready");
    return client;
  }

  public void sendJson(String json) {
    send(json);
  }

  /** Subscribes and returns the {@code subscribed} frame. */
  public JsonNode subscribe(String room) {
    sendJson("{\"type\":\"subscribe\",\"room\":\"" + room + "\"}");
    return next("subscribed");
  }

  /** Subscribes with {@code since} and returns the {@code subscribed} frame. */
  public JsonNode subscribe(String room, long since) {
    sendJson("{\"type\":\"subscribe\",\"room\":\"" + room + "\",\"since\":" + since + "}");
    return next("subscribed");
  }

  /** The next frame, whatever it is. */
  public JsonNode next() {
    if (!held.isEmpty()) {
      return held.poll();
    }
    return receive();
  }

  private JsonNode receive() {
    try {
      JsonNode frame = frames.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      if (frame == null) {
        throw new AssertionError("No frame within " + WAIT + (closed.isDone() ? "; closed with " + closed.getNow(null) : ""));
      }
      return frame;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The next frame, which must be of {@code type}. */
  public JsonNode next(String type) {
    JsonNode frame = next();
    if (!type.equals(frame.path("type").asText())) {
      throw new AssertionError("Expected a " + type + " frame, got " + frame);
    }
    return frame;
  }

  /** The next {@code count} frames, each an {@code event}. */
  public List<JsonNode> events(int count) {
    List<JsonNode> events = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      events.add(next("event"));
    }
    return events;
  }

  /** The first frame of {@code type}; frames passed over are kept for later reads, in order. */
  public JsonNode nextOfType(String type) {
    return first(f -> type.equals(f.path("type").asText()));
  }

  /** The first event frame named {@code event}; frames passed over are kept for later reads. */
  public JsonNode nextEvent(String event) {
    return first(f -> "event".equals(f.path("type").asText()) && event.equals(f.path("event").asText()));
  }

  private JsonNode first(java.util.function.Predicate<JsonNode> wanted) {
    for (java.util.Iterator<JsonNode> it = held.iterator(); it.hasNext(); ) {
      JsonNode frame = it.next();
      if (wanted.test(frame)) {
        it.remove();
        return frame;
      }
    }
    while (true) {
      JsonNode frame = receive();
      if (wanted.test(frame)) {
        return frame;
      }
      held.add(frame);
    }
  }

  /** Frames received and not yet taken. */
  public List<JsonNode> pending() {
    List<JsonNode> out = new ArrayList<>(held);
    held.clear();
    frames.drainTo(out);
    return out;
  }

  /** The close code, once the connection is closed (waits up to {@link #WAIT}). */
  public int closeCode() {
    try {
      return closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } catch (ExecutionException | TimeoutException e) {
      throw new AssertionError("Not closed within " + WAIT, e);
    }
  }

  public boolean isClosedYet() {
    return closed.isDone();
  }

  /** From the next frame on, the reader blocks until {@link #resume()}: a consumer that fell behind. */
  public void stall() {
    gate = new CountDownLatch(1);
  }

  public void resume() {
    CountDownLatch g = gate;
    gate = null;
    if (g != null) {
      g.countDown();
    }
  }

  /** Waits for a WebSocket pong frame (an answer to {@link #sendPing()}). */
  public boolean awaitPong() {
    try {
      return pongSeen.tryAcquire(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** How many WebSocket ping frames the server sent us (the library answers each with a pong). */
  public int pingsReceived() {
    return pings.get();
  }

  @Override
  public void onWebsocketPong(org.java_websocket.WebSocket conn, org.java_websocket.framing.Framedata f) {
    pongSeen.release();
  }

  @Override
  public void onWebsocketPing(org.java_websocket.WebSocket conn, org.java_websocket.framing.Framedata f) {
    pings.incrementAndGet();
    super.onWebsocketPing(conn, f);
  }

  @Override
  public void onOpen(ServerHandshake handshake) {}

  @Override
  public void onMessage(String message) {
    CountDownLatch g = gate;
    if (g != null) {
      try {
        g.await(WAIT.toMillis() * 6, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try {
      frames.add(Json.mapper().readTree(message));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void onClose(int code, String reason, boolean remote) {
    closed.complete(code);
  }

  @Override
  public void onError(Exception ex) {}
}
