package io.tabletap.server.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;

/** One kitchen screen / till: timestamps each frame on arrival and reads only what it needs, without a JSON parser. */
final class BenchScreen extends WebSocketClient {
  static final String KITCHEN = "cafe:demo:kitchen";
  static final String STAFF = "cafe:demo:staff";

  final String token;
  private final Map<UUID, Integer> indexOfOrder;
  final List<String> rooms;
  final CountDownLatch subscribed;
  /** When this client got webhook i's new_paid_order (nanoTime); 0 if not yet. */
  final AtomicLongArray receivedAt;
  final Map<String, Long> lastSeq = new ConcurrentHashMap<>();
  final AtomicLong duplicates = new AtomicLong();
  final AtomicLong gaps = new AtomicLong();
  final AtomicLong frames = new AtomicLong();
  final AtomicLong bytes = new AtomicLong();
  final AtomicLong displayFrames = new AtomicLong();
  final AtomicLong displayBytes = new AtomicLong();
  final List<String> errors = new ArrayList<>();
  volatile int closeCode = -1;

  BenchScreen(URI uri, String token, List<String> rooms, Map<UUID, Integer> indexOfOrder) {
    super(uri);
    this.indexOfOrder = indexOfOrder;
    setConnectionLostTimeout(0);
    setTcpNoDelay(true);
    this.token = token;
    this.rooms = rooms;
    this.subscribed = new CountDownLatch(rooms.size());
    this.receivedAt = new AtomicLongArray(indexOfOrder.size());
  }

  @Override
  public void onMessage(String frame) {
    long now = System.nanoTime();
    frames.incrementAndGet();
    bytes.addAndGet(frame.length());
    if (frame.startsWith("{\"type\":\"event\",\"room\":\"")) {
      int roomStart = 24;
      String room = frame.substring(roomStart, frame.indexOf('"', roomStart));
      long seq = longAfter(frame, "\"seq\":");
      Long last = lastSeq.put(room, seq);
      if (last != null && seq <= last) {
        duplicates.incrementAndGet();
      } else if (last != null && seq > last + 1) {
        gaps.addAndGet(seq - last - 1);
      }
      if (frame.startsWith("new_paid_order\"", frame.indexOf("\"event\":\"") + 9)) {
        int at = frame.indexOf("\"orderId\":\"") + 11;
        Integer i = indexOfOrder.get(UUID.fromString(frame.substring(at, at + 36)));
        if (i != null && !receivedAt.compareAndSet(i, 0, now)) {
          duplicates.incrementAndGet();
        }
      } else if (frame.startsWith("kitchen_display_updated\"", frame.indexOf("\"event\":\"") + 9)) {
        displayFrames.incrementAndGet();
        displayBytes.addAndGet(frame.length());
      }
    } else if (frame.startsWith("{\"type\":\"subscribed\"")) {
      String room = frame.substring(frame.indexOf("\"room\":\"") + 8, frame.indexOf('"', frame.indexOf("\"room\":\"") + 8));
      lastSeq.put(room, longAfter(frame, "\"seq\":"));
      subscribed.countDown();
    } else if (frame.startsWith("{\"type\":\"error\"")) {
      synchronized (errors) {
        errors.add(frame);
      }
    }
  }

  /**
   * Client {@code c} of a benchmark: even ones a KITCHEN device, in the kitchen room only (a
   * KITCHEN device may not join the staff room: docs/protocol.md, Rooms); odd ones a CASHIER, in
   * the kitchen and staff rooms.
   */
  static BenchScreen forClient(int c, URI uri, String kitchenToken, String cashierToken, Map<UUID, Integer> indexOfOrder) {
    boolean kitchen = c % 2 == 0;
    return new BenchScreen(uri, kitchen ? kitchenToken : cashierToken, kitchen ? List.of(KITCHEN) : List.of(KITCHEN, STAFF),
        indexOfOrder);
  }

  /** Connects, authenticates and joins its rooms; throws if that does not happen within 10 s. */
  void join() throws InterruptedException {
    if (!connectBlocking(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("a client could not connect to " + getURI());
    }
    send("{\"type\":\"auth\",\"token\":\"" + token + "\"}");
    for (String room : rooms) {
      send("{\"type\":\"subscribe\",\"room\":\"" + room + "\"}");
    }
    if (!subscribed.await(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("a client was not subscribed: " + errors);
    }
  }

  @Override
  public void onOpen(ServerHandshake handshake) {}

  @Override
  public void onClose(int code, String reason, boolean remote) {
    closeCode = code;
  }

  @Override
  public void onError(Exception ex) {
    synchronized (errors) {
      errors.add(ex.toString());
    }
  }

  private static long longAfter(String s, String key) {
    int i = s.indexOf(key) + key.length();
    long v = 0;
    while (i < s.length() && Character.isDigit(s.charAt(i))) {
      v = v * 10 + (s.charAt(i++) - '0');
    }
    return v;
  }
}
