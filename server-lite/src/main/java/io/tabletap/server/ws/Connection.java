package io.tabletap.server.ws;

import io.tabletap.server.device.Device;
import io.tabletap.server.realtime.FrameBatch;
import io.tabletap.server.realtime.Peer;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One socket: its device once authenticated, its outbound backlog and the serial queue its
 * inbound frames are handled on (one at a time, in arrival order, off the socket's I/O threads).
 *
 * <p>The outbound buffer is the socket library's own queue of frames not yet written to the
 * network; {@link #send} refuses (and cuts the connection with 4408) once it holds {@link
 * #capacity()} frames.
 */
final class Connection implements Peer {
  /** One encoder object, so that a batch's encoding is found again by every connection. */
  private static final Function<List<String>, ByteBuffer> ENCODE = TextFrames::join;
  /** Inbound frames waiting to be handled beyond which the client is flooding us. */
  static final int MAX_INBOUND_BACKLOG = 256;
  private static final Logger log = LoggerFactory.getLogger(Connection.class);

  private final WebSocket socket;
  private final int capacity;
  private final long closeGraceMillis;
  private final ScheduledExecutorService timers;
  private final Executor workers;
  private final Consumer<Peer> onClosing;
  private final ArrayDeque<Runnable> inbound = new ArrayDeque<>();
  private final AtomicInteger badFrames = new AtomicInteger();
  private boolean draining;
  private volatile Device device;
  private volatile boolean cut;
  private volatile long lastHeardNanos = System.nanoTime();

  /** @param onClosing told (on a timer thread) when the server closes this connection: it leaves its rooms */
  Connection(WebSocket socket, int capacity, long closeGraceMillis, ScheduledExecutorService timers, Executor workers,
      Consumer<Peer> onClosing) {
    this.socket = socket;
    this.onClosing = onClosing;
    this.capacity = capacity;
    this.closeGraceMillis = closeGraceMillis;
    this.timers = timers;
    this.workers = workers;
  }

  @Override
  public Device device() {
    return device;
  }

  void authenticated(Device d) {
    this.device = d;
  }

  boolean isAuthenticated() {
    return device != null;
  }

  @Override
  public boolean send(String frame) {
    if (!mayQueue()) {
      return false;
    }
    try {
      socket.send(frame);
      return true;
    } catch (WebsocketNotConnectedException e) {
      return false;
    }
  }

  /**
   * The batch's frames as one buffer, encoded once for every connection that gets the same batch
   * (a duplicate of it each: the socket moves its position as it writes). Java-WebSocket would
   * queue each frame as a buffer of its own and wake its selector for each. Several complete frames
   * back to back are what the wire carries anyway (RFC 6455 §5.2; no extension is negotiated here,
   * so no frame bits beyond FIN and the text opcode).
   */
  @Override
  public boolean sendAll(FrameBatch batch) {
    if (!(socket instanceof WebSocketImpl impl)) {
      return Peer.super.sendAll(batch);
    }
    if (!mayQueue()) {
      return false;
    }
    impl.outQueue.add(batch.encoded(ENCODE).duplicate());
    impl.getWebSocketListener().onWriteDemand(impl);
    return true;
  }

  /** False if the connection is cut or closed, or now falls behind (its buffer is full: cut). */
  private boolean mayQueue() {
    if (cut || !socket.isOpen()) {
      return false;
    }
    if (backlog() >= capacity) {
      fallBehind();
      return false;
    }
    return true;
  }

  @Override
  public int backlog() {
    return socket instanceof WebSocketImpl impl ? impl.outQueue.size() : 0;
  }

  @Override
  public int capacity() {
    return capacity;
  }

  @Override
  public boolean isOpen() {
    return !cut && socket.isOpen();
  }

  @Override
  public void fallBehind() {
    close(CloseCodes.TOO_SLOW, "You fell behind; resubscribe with since");
  }

  /**
   * Closes with {@code code}: nothing more is sent, the close frame goes out behind what is
   * queued, and the socket is cut if the client has not finished the close handshake within the
   * grace period. Runs on a timer thread, never under the caller's locks.
   */
  void close(int code, String reason) {
    if (cut) {
      return;
    }
    cut = true;
    timers.execute(() -> {
      onClosing.accept(this);
      socket.close(code, reason);
      timers.schedule(() -> {
        if (!socket.isClosed()) {
          socket.closeConnection(code, reason);
        }
      }, closeGraceMillis, TimeUnit.MILLISECONDS);
    });
  }

  /** Drops the TCP connection at once, without a close handshake. */
  void abort(int code, String reason) {
    cut = true;
    socket.closeConnection(code, reason);
  }

  /** @return the number of bad frames so far, this one included */
  int badFrame() {
    return badFrames.incrementAndGet();
  }

  void heard() {
    lastHeardNanos = System.nanoTime();
  }

  long silentNanos() {
    return System.nanoTime() - lastHeardNanos;
  }

  void ping() {
    if (socket.isOpen()) {
      try {
        socket.sendPing();
      } catch (WebsocketNotConnectedException e) {
        // closing: nothing to ping
      }
    }
  }

  /** Runs {@code task} after the connection's earlier tasks; false if too many are waiting. */
  boolean handle(Runnable task) {
    synchronized (inbound) {
      if (inbound.size() >= MAX_INBOUND_BACKLOG) {
        return false;
      }
      inbound.add(task);
      if (draining) {
        return true;
      }
      draining = true;
    }
    workers.execute(this::drain);
    return true;
  }

  private void drain() {
    while (true) {
      Runnable next;
      synchronized (inbound) {
        next = inbound.poll();
        if (next == null) {
          draining = false;
          return;
        }
      }
      try {
        next.run();
      } catch (RuntimeException e) {
        log.error("Handling a frame of {} failed", this, e);
      }
    }
  }

  @Override
  public String toString() {
    Device d = device;
    return "connection " + socket.getRemoteSocketAddress() + (d == null ? "" : " of device " + d.id());
  }
}
