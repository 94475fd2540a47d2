package io.tabletap.server.ws;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tabletap.server.config.TcpNoDelay;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.ObjLongConsumer;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

/**
 * The real-time benchmark's floor ({@code --null-server}): a server that does the least any server
 * must to take a webhook and tell the screens, on the same stacks as server-lite (the JDK's
 * HttpServer with 16 threads and TCP_NODELAY, Java-WebSocket with frames joined into one buffer
 * per connection as {@link Connection#sendAll} does). It answers {@code POST /webhooks/payconic}
 * 202 without checking anything, and on the HTTP thread sends every screen frames of our format
 * and about our size: three kitchen-room events ({@code new_paid_order} first) and, to tills,
 * three staff-room ones. No database, no queue, no hand-over between threads. Whatever tail it
 * measures is the machine's and the harness's, not server-lite's (decision 0033).
 */
public final class NullFanOutServer implements AutoCloseable {
  /** Pads each event to about the mean size of server-lite's (365 bytes in the benchmark). */
  private static final String PADDING = "x".repeat(200);
  private static final byte[] ANSWER = "{\"webhookId\":\"00000000-0000-0000-0000-000000000000\",\"status\":\"queued\"}"
      .getBytes(StandardCharsets.UTF_8);

  private final Map<String, UUID> orderOfPayment;
  private final ObjLongConsumer<UUID> sentAt;
  private final HttpServer http;
  private final ExecutorService httpThreads = Executors.newFixedThreadPool(16);
  private final Sockets ws;
  private final Set<WebSocket> kitchen = ConcurrentHashMap.newKeySet();
  private final Set<WebSocket> staff = ConcurrentHashMap.newKeySet();
  private long kitchenSeq;
  private long staffSeq;

  /**
   * @param orderOfPayment the order of each Payconic payment id the webhooks will name
   * @param sentAt told each order and the time its frames were queued to every screen
   */
  public NullFanOutServer(Map<String, UUID> orderOfPayment, ObjLongConsumer<UUID> sentAt) throws IOException, InterruptedException {
    this.orderOfPayment = orderOfPayment;
    this.sentAt = sentAt;
    TcpNoDelay.forJdkHttpServers();
    http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
    http.setExecutor(httpThreads);
    http.createContext("/webhooks/payconic", this::webhook);
    http.start();
    ws = new Sockets();
    ws.setReuseAddr(true);
    ws.setTcpNoDelay(true);
    ws.start();
    if (!ws.started.await(10, TimeUnit.SECONDS)) {
      throw new IOException("the null server's WebSocket port did not open");
    }
  }

  public int httpPort() {
    return http.getAddress().getPort();
  }

  public int wsPort() {
    return ws.getPort();
  }

  private void webhook(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(202, ANSWER.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(ANSWER);
    }
    int at = body.indexOf("\"paymentId\":\"") + 13;
    UUID order = at < 13 ? null : orderOfPayment.get(body.substring(at, body.indexOf('"', at)));
    if (order != null) {
      tellScreens(order);
    }
  }

  /** Queues the order's frames to every screen; under the lock, so each room's numbers go out in order. */
  private synchronized void tellScreens(UUID order) {
    List<String> kitchenFrames = List.of(event("cafe:demo:kitchen", ++kitchenSeq, "new_paid_order", order),
        event("cafe:demo:kitchen", ++kitchenSeq, "paid_order_ready_for_preparation", order),
        event("cafe:demo:kitchen", ++kitchenSeq, "kitchen_display_updated", order));
    List<String> both = new ArrayList<>(kitchenFrames);
    both.add(event("cafe:demo:staff", ++staffSeq, "payment_update", order));
    both.add(event("cafe:demo:staff", ++staffSeq, "order_state_changed", order));
    both.add(event("cafe:demo:staff", ++staffSeq, "queue_position_updated", order));
    ByteBuffer kitchenOnly = TextFrames.join(kitchenFrames);
    ByteBuffer tills = TextFrames.join(both);
    for (WebSocket screen : kitchen) {
      if (screen instanceof WebSocketImpl impl && screen.isOpen()) {
        impl.outQueue.add((staff.contains(screen) ? tills : kitchenOnly).duplicate());
        impl.getWebSocketListener().onWriteDemand(impl);
      }
    }
    sentAt.accept(order, System.nanoTime());
  }

  private static String event(String room, long seq, String name, UUID order) {
    return "{\"type\":\"event\",\"room\":\"" + room + "\",\"seq\":" + seq + ",\"event\":\"" + name + "\",\"data\":{\"orderId\":\""
        + order + "\",\"padding\":\"" + PADDING + "\"},\"at\":\"2026-11-27T00:00:00.000Z\"}";
  }

  @Override
  public void close() throws InterruptedException {
    http.stop(0);
    httpThreads.shutdownNow();
    ws.stop(1000);
  }

  /** Screens authenticate (anything goes) and subscribe to the kitchen and staff rooms. */
  private final class Sockets extends WebSocketServer {
    final CountDownLatch started = new CountDownLatch(1);

    Sockets() {
      super(new InetSocketAddress("127.0.0.1", 0));
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {}

    @Override
    public void onMessage(WebSocket conn, String message) {
      if (!message.contains("\"type\":\"subscribe\"")) {
        return; // auth: the null server trusts everyone
      }
      synchronized (NullFanOutServer.this) {
        boolean kitchenRoom = message.contains("cafe:demo:kitchen");
        (kitchenRoom ? kitchen : staff).add(conn);
        String room = kitchenRoom ? "cafe:demo:kitchen" : "cafe:demo:staff";
        conn.send("{\"type\":\"subscribed\",\"room\":\"" + room + "\",\"seq\":" + (kitchenRoom ? kitchenSeq : staffSeq) + "}");
      }
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
      kitchen.remove(conn);
      staff.remove(conn);
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {}

    @Override
    public void onStart() {
      started.countDown();
    }
  }
}
