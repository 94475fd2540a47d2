package io.tabletap.server.ws;

import io.tabletap.server.device.Device;
import io.tabletap.server.realtime.RealtimeConfig;
import io.tabletap.server.realtime.RoomHub;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.framing.Framedata;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshakeBuilder;
import org.java_websocket.server.WebSocketServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket endpoint at {@code ws://host:port/ws} on Java-WebSocket: JSON text frames, the
 * protocol of docs/protocol.md. {@link #start} binds (port 0 picks a free port, see {@link
 * #port()}); {@link #stop} closes every connection with 1001.
 *
 * <p>Threads: the library's selector and decoder threads only read and write; each connection's
 * frames are handled one at a time on a shared worker pool, so a slow database call or a payment
 * provider holds up only its own connection. A timer thread closes connections that do not
 * authenticate in time, pings every connection each {@code pingInterval} and drops one silent for
 * {@code silenceLimit}.
 */
public final class WsEndpoint {
  public static final String PATH = "/ws";
  private static final Logger log = LoggerFactory.getLogger(WsEndpoint.class);
  private static final int WORKERS = 8;
  /** How often {@link #rewakeStalledWrites} looks: the longest a frame can wait for a lost wake-up. */
  private static final long WRITE_WATCH_MILLIS = 2;

  private final RealtimeConfig config;
  private final FrameHandler handler;
  private final RoomHub hub;
  private final Server server;
  private final LingeringClose lingering;
  private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(1, named("ws-timer-"));
  private final ExecutorService workers = Executors.newFixedThreadPool(WORKERS, named("ws-worker-"));
  private final CompletableFuture<Void> started = new CompletableFuture<>();
  private ScheduledFuture<?> ticker;
  private ScheduledFuture<?> writeWatch;

  private WsEndpoint(String bindAddress, RealtimeConfig config, FrameHandler handler, RoomHub hub) throws IOException {
    this.config = config;
    this.handler = handler;
    this.hub = hub;
    List<Draft> drafts = List.of(new Draft_6455(List.of(), config.maxFrameBytes()));
    this.server = new Server(new InetSocketAddress(bindAddress, config.port()), drafts);
    this.lingering = new LingeringClose(config.closeGrace());
    server.setWebSocketFactory(lingering); // the server stopping closes it too
    server.setReuseAddr(true);
    server.setTcpNoDelay(true);
    server.setDaemon(true);
    server.setConnectionLostTimeout(0); // our own ticker pings and drops, at the configured pace
  }

  /** Binds and starts serving; returns once the port is bound. */
  public static WsEndpoint start(String bindAddress, RealtimeConfig config, Services services) throws IOException {
    FrameHandler handler = new FrameHandler(services.devices(), services.policy(), services.hub(),
        services.commands(), services.clock(), config.badFrameLimit());
    WsEndpoint endpoint = new WsEndpoint(bindAddress, config, handler, services.hub());
    endpoint.server.start();
    try {
      endpoint.started.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      endpoint.lingering.close();
      endpoint.shutdownExecutors();
      throw new IOException("Cannot listen for WebSockets on " + bindAddress + ":" + config.port() + ": " + e.getCause().getMessage(),
          e.getCause());
    } catch (TimeoutException | InterruptedException e) {
      endpoint.stop();
      throw new IOException("The WebSocket endpoint did not start", e);
    }
    long ping = config.pingInterval().toMillis();
    endpoint.ticker = endpoint.timers.scheduleAtFixedRate(endpoint::tick, ping, ping, TimeUnit.MILLISECONDS);
    endpoint.writeWatch = endpoint.timers.scheduleAtFixedRate(endpoint::rewakeStalledWrites, WRITE_WATCH_MILLIS,
        WRITE_WATCH_MILLIS, TimeUnit.MILLISECONDS);
    return endpoint;
  }

  /** What the endpoint needs; {@code commands} may be null (no commands over the socket). */
  public record Services(
      io.tabletap.server.device.DeviceService devices, io.tabletap.server.realtime.RoomPolicy policy, RoomHub hub,
      io.tabletap.server.realtime.Commands commands, java.time.Clock clock) {}

  public int port() {
    return server.getPort();
  }

  /** Connections open now, authenticated or not. */
  public int connectionCount() {
    return server.getConnections().size();
  }

  /** Closes every connection of {@code deviceId} with 4403 at once; returns how many. */
  public int disconnect(UUID deviceId) {
    int closed = 0;
    for (WebSocket socket : server.getConnections()) {
      Connection c = socket.getAttachment();
      Device device = c == null ? null : c.device();
      if (device != null && device.id().equals(deviceId)) {
        hub.drop(c);
        c.close(CloseCodes.REVOKED, "This device was revoked");
        closed++;
      }
    }
    return closed;
  }

  /** Closes every connection (1001) and the port. */
  public void stop() {
    if (ticker != null) {
      ticker.cancel(false);
    }
    if (writeWatch != null) {
      writeWatch.cancel(false);
    }
    try {
      server.stop(1000, "The server is stopping");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    shutdownExecutors();
  }

  /**
   * Lets frames being handled finish (a command may be inside a database transaction: H2 must not
   * be interrupted), for up to 10 s, then gives up on them.
   */
  private void shutdownExecutors() {
    timers.shutdownNow();
    workers.shutdown();
    try {
      if (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
        log.warn("Frames still being handled after 10 s; stopping anyway");
        workers.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Asks again for a write on every connection that has frames queued and no write interest.
   *
   * <p>Why: Java-WebSocket 1.6.0 can lose a write wake-up. Its selector thread empties a
   * connection's queue, then sets the key back to read-only. A frame that another thread queues in
   * between (asking for write) then waits in the queue for the next write, which may be a ping 15 s
   * later. A kitchen ticket must not wait, so the timer looks every {@value #WRITE_WATCH_MILLIS}
   * ms. It seldom finds anything, and a spurious wake-up costs one empty write attempt. Seen as a
   * refused subscribe answered only after 10 s in a test run.
   */
  private void rewakeStalledWrites() {
    for (WebSocket socket : server.getConnections()) {
      if (socket instanceof WebSocketImpl impl && !impl.outQueue.isEmpty()) {
        try {
          SelectionKey key = impl.getSelectionKey();
          if (key != null && key.isValid() && (key.interestOps() & SelectionKey.OP_WRITE) == 0) {
            server.onWriteDemand(impl);
          }
        } catch (CancelledKeyException e) { // closed meanwhile: nothing to write
          log.trace("Connection closed while looking for stalled writes", e);
        }
      }
    }
  }

  /**
   * Queues {@code json} for every connection of {@code deviceId} without asking for a write: the
   * state a lost wake-up leaves (tests). Returns how many connections got it.
   */
  int queueWithoutWakeUp(UUID deviceId, String json) {
    int queued = 0;
    for (WebSocket socket : server.getConnections()) {
      Connection c = socket.getAttachment();
      if (c != null && c.device() != null && c.device().id().equals(deviceId) && socket instanceof WebSocketImpl impl) {
        impl.outQueue.add(TextFrames.join(List.of(json)));
        queued++;
      }
    }
    return queued;
  }

  /** Pings everyone; drops those silent for too long. */
  private void tick() {
    long limit = config.silenceLimit().toNanos();
    for (WebSocket socket : server.getConnections()) {
      Connection c = socket.getAttachment();
      if (c == null) {
        continue;
      }
      if (c.silentNanos() > limit) {
        log.info("Dropping {}: silent for over {} s", c, config.silenceLimit().toSeconds());
        c.abort(CloseCodes.LOST, "No answer to pings");
      } else {
        c.ping();
      }
    }
  }

  private final class Server extends WebSocketServer {
    Server(InetSocketAddress address, List<Draft> drafts) {
      super(address, 2, drafts);
    }

    @Override
    public ServerHandshakeBuilder onWebsocketHandshakeReceivedAsServer(WebSocket conn, Draft draft, ClientHandshake request)
        throws InvalidDataException {
      String resource = request.getResourceDescriptor();
      if (resource == null || !(resource.equals(PATH) || resource.startsWith(PATH + "?"))) {
        throw new InvalidDataException(CloseFrame.POLICY_VALIDATION, "No WebSocket at " + resource + "; use " + PATH);
      }
      return super.onWebsocketHandshakeReceivedAsServer(conn, draft, request);
    }

    @Override
    public void onOpen(WebSocket socket, ClientHandshake handshake) {
      Connection c = new Connection(socket, config.outboundFrames(), config.closeGrace().toMillis(), timers, workers, hub::drop);
      socket.setAttachment(c);
      timers.schedule(() -> {
        if (!c.isAuthenticated()) {
          c.close(CloseCodes.UNAUTHENTICATED, "Authenticate within " + config.authTimeout().toMillis() + " ms");
        }
      }, config.authTimeout().toMillis(), TimeUnit.MILLISECONDS);
      String header = handshake.getFieldValue("Authorization");
      if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
        String token = header.substring(7).strip();
        c.handle(() -> handler.authenticate(c, token));
      }
    }

    @Override
    public void onMessage(WebSocket socket, String message) {
      Connection c = socket.getAttachment();
      c.heard();
      if (!c.handle(() -> handler.handle(c, message))) {
        c.abort(CloseCodes.FLOODING, "Too many frames waiting");
      }
    }

    @Override
    public void onMessage(WebSocket socket, ByteBuffer message) {
      Connection c = socket.getAttachment();
      c.heard();
      if (!c.handle(() -> handler.binary(c))) {
        c.abort(CloseCodes.FLOODING, "Too many frames waiting");
      }
    }

    @Override
    public void onWebsocketPong(WebSocket socket, Framedata frame) {
      Connection c = socket.getAttachment();
      if (c != null) {
        c.heard();
      }
    }

    @Override
    public void onWebsocketPing(WebSocket socket, Framedata frame) {
      super.onWebsocketPing(socket, frame);
      onWebsocketPong(socket, frame);
    }

    @Override
    public void onClose(WebSocket socket, int code, String reason, boolean remote) {
      Connection c = socket.getAttachment();
      if (c != null) {
        hub.drop(c);
      }
    }

    @Override
    public void onError(WebSocket socket, Exception e) {
      if (socket == null) {
        started.completeExceptionally(e);
        log.error("WebSocket endpoint failed", e);
      } else {
        log.debug("WebSocket error on {}: {}", socket.getRemoteSocketAddress(), e.toString());
      }
    }

    @Override
    public void onStart() {
      started.complete(null);
    }
  }

  private static ThreadFactory named(String prefix) {
    AtomicInteger counter = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + counter.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
