package io.tabletap.server.ws;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.Channel;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.java_websocket.WebSocketAdapter;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.WebSocketServerFactory;
import org.java_websocket.drafts.Draft;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes the server's side of a connection without throwing away what the client is still sending:
 * the "lingering close" of HTTP servers.
 *
 * <p>Why: Java-WebSocket closes the TCP connection as soon as its close frame is written. If the
 * client is still sending (the rest of a frame over the size limit, a flood of bad frames), the
 * unread bytes make the kernel answer with a reset, and the reset can fail the client's write
 * before it has read the close frame. The client then sees 1006 instead of the code that tells it
 * what happened (1009 too big, 4400 bad frames, 4408 resubscribe with {@code since}). So closing a
 * channel here only ends its output (the FIN follows the close frame), then one thread reads and
 * discards whatever still arrives, and closes the channel when the client closes its side or after
 * {@code linger}, whichever comes first.
 *
 * <p>It is the endpoint's {@link WebSocketServerFactory}: each accepted channel is wrapped so that
 * the library's {@code close()} lands here. {@link #close()} (the server stopping) closes every
 * lingering channel at once.
 */
final class LingeringClose implements WebSocketServerFactory {
  private static final Logger log = LoggerFactory.getLogger(LingeringClose.class);

  private final long lingerNanos;
  private final Selector selector;
  private final Queue<SocketChannel> handedOver = new ConcurrentLinkedQueue<>();
  /** Only the lingering thread reads into it. */
  private final ByteBuffer discard = ByteBuffer.allocate(16 * 1024);
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread thread;

  LingeringClose(Duration linger) throws IOException {
    this.lingerNanos = linger.toNanos();
    this.selector = Selector.open();
    this.thread = new Thread(this::run, "ws-linger");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public WebSocketImpl createWebSocket(WebSocketAdapter adapter, Draft draft) {
    return new WebSocketImpl(adapter, draft);
  }

  @Override
  public WebSocketImpl createWebSocket(WebSocketAdapter adapter, List<Draft> drafts) {
    return new WebSocketImpl(adapter, drafts);
  }

  @Override
  public ByteChannel wrapChannel(SocketChannel channel, SelectionKey key) {
    return new Lingering(channel);
  }

  /** Stops lingering: every channel still waiting is closed now, later ones at once. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      selector.wakeup();
    }
  }

  private void linger(SocketChannel channel) {
    if (closed.get()) {
      closeQuietly(channel);
      return;
    }
    try {
      channel.shutdownOutput();
    } catch (IOException e) { // the peer is already gone
      closeQuietly(channel);
      return;
    }
    handedOver.add(channel);
    selector.wakeup();
  }

  private void run() {
    try {
      while (!closed.get()) {
        registerHandedOver();
        selector.select(millisToNearestDeadline());
        for (SelectionKey key : selector.selectedKeys()) {
          if (!drain((SocketChannel) key.channel())) {
            finish(key);
          }
        }
        selector.selectedKeys().clear();
        long now = System.nanoTime();
        for (SelectionKey key : selector.keys()) {
          if (key.isValid() && now - (long) key.attachment() >= 0) {
            finish(key);
          }
        }
      }
    } catch (IOException | ClosedSelectorException e) {
      log.warn("Lingering close stopped: {}", e.toString());
    } finally {
      closeEverything();
    }
  }

  private void registerHandedOver() {
    long deadline = System.nanoTime() + lingerNanos;
    SocketChannel channel;
    while ((channel = handedOver.poll()) != null) {
      try {
        channel.register(selector, SelectionKey.OP_READ, deadline);
      } catch (IOException | RuntimeException e) { // closed meanwhile, or not registrable: nothing to wait for
        closeQuietly(channel);
      }
    }
  }

  /** 0 (no deadline: wait for a hand-over) or at least 1 ms until the earliest deadline. */
  private long millisToNearestDeadline() {
    long now = System.nanoTime();
    long nearest = Long.MAX_VALUE;
    for (SelectionKey key : selector.keys()) {
      if (key.isValid()) {
        nearest = Math.min(nearest, (long) key.attachment() - now);
      }
    }
    return nearest == Long.MAX_VALUE ? 0 : Math.max(1, nearest / 1_000_000 + 1);
  }

  /** Reads and forgets what has arrived; false once the client has closed its side (or failed). */
  private boolean drain(SocketChannel channel) {
    try {
      int read;
      do {
        discard.clear();
        read = channel.read(discard);
      } while (read > 0);
      return read == 0;
    } catch (IOException e) {
      return false;
    }
  }

  private static void finish(SelectionKey key) {
    key.cancel();
    closeQuietly(key.channel());
  }

  private void closeEverything() {
    SocketChannel channel;
    while ((channel = handedOver.poll()) != null) {
      closeQuietly(channel);
    }
    try {
      for (SelectionKey key : selector.keys()) {
        closeQuietly(key.channel());
      }
      selector.close();
    } catch (IOException | ClosedSelectorException e) {
      log.debug("Closing the lingering selector: {}", e.toString());
    }
  }

  private static void closeQuietly(Channel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      log.debug("Closing a lingering channel: {}", e.toString());
    }
  }

  /** The library reads and writes through it; its close() starts the lingering. */
  private final class Lingering implements ByteChannel {
    private final SocketChannel channel;
    private final AtomicBoolean closing = new AtomicBoolean();

    Lingering(SocketChannel channel) {
      this.channel = channel;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      return channel.read(dst);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      return channel.write(src);
    }

    @Override
    public boolean isOpen() {
      return !closing.get() && channel.isOpen();
    }

    @Override
    public void close() {
      if (closing.compareAndSet(false, true)) {
        linger(channel);
      }
    }
  }
}
