package io.tabletap.server.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The server's side of a closing connection over real loopback sockets: the client still sending
 * when the server closes must read everything the server wrote, then an end of stream, never a
 * reset (which would hide the WebSocket close code).
 */
class LingeringCloseTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private ServerSocketChannel listener;
  private Socket client;
  private SocketChannel accepted;
  private LingeringClose lingering;

  @BeforeEach
  void connect() throws IOException {
    listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    client = new Socket(InetAddress.getLoopbackAddress(), listener.socket().getLocalPort());
    accepted = listener.accept();
    accepted.configureBlocking(false); // as the WebSocket server's channels are
  }

  @AfterEach
  void close() throws IOException {
    if (lingering != null) {
      lingering.close();
    }
    client.close();
    accepted.close();
    listener.close();
  }

  @Test
  void aClientStillSendingReadsTheLastWordsThenTheEndNotAReset() throws IOException {
    lingering = new LingeringClose(Duration.ofSeconds(30));
    ByteChannel channel = lingering.wrapChannel(accepted, null);
    OutputStream out = client.getOutputStream();
    out.write(new byte[256 * 1024]); // unread by the server: a plain close would answer it with a reset
    out.flush();

    write(channel, "closing 1009");
    channel.close();

    assertThat(channel.isOpen()).isFalse();
    out.write(new byte[256 * 1024]); // still accepted (and discarded) after the close
    out.flush();
    InputStream in = client.getInputStream();
    assertThat(new String(in.readNBytes(12), StandardCharsets.US_ASCII)).isEqualTo("closing 1009");
    assertThat(in.read()).isEqualTo(-1);
  }

  @Test
  void theSocketIsClosedOnceTheClientClosesItsSide() throws IOException {
    lingering = new LingeringClose(Duration.ofSeconds(30));
    lingering.wrapChannel(accepted, null).close();
    assertThat(accepted.isOpen()).as("lingering until the client closes").isTrue();

    client.close();

    await().atMost(WAIT).until(() -> !accepted.isOpen());
  }

  @Test
  void aClientThatNeverClosesIsCutAfterTheLinger() throws IOException {
    lingering = new LingeringClose(Duration.ofMillis(200));
    long start = System.nanoTime();

    lingering.wrapChannel(accepted, null).close();

    await().atMost(WAIT).until(() -> !accepted.isOpen());
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
  }

  @Test
  void stoppingClosesEveryLingeringSocketAtOnceAndLaterOnesDirectly() throws IOException {
    lingering = new LingeringClose(Duration.ofHours(1));
    lingering.wrapChannel(accepted, null).close();

    lingering.close();

    await().atMost(WAIT).until(() -> !accepted.isOpen());
    SocketChannel late = SocketChannel.open(listener.getLocalAddress());
    lingering.wrapChannel(late, null).close();
    assertThat(late.isOpen()).isFalse();
  }

  private static void write(ByteChannel channel, String text) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }
}
