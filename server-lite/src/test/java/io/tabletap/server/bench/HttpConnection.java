package io.tabletap.server.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * One keep-alive HTTP/1.1 connection for the benchmarks' load generators: blocking, one request
 * at a time, the request written as a single buffer. Why not {@code java.net.http.HttpClient}:
 * at 1,800 webhooks/s its threads took about a quarter of this machine's two cores (JFR,
 * docs/performance.md), CPU the server under test then lacked. This one costs a write and a read.
 *
 * <p>It speaks just enough HTTP for our server's answers: a status line, headers, and a body of
 * {@code Content-Length} bytes or chunked. Not thread-safe.
 */
final class HttpConnection implements Closeable {
  /**
   * A status and the body as text.
   *
   * @param serverNanos the server's own time for the request, from its {@code Server-Timing}; -1 if none
   * @param writtenAt when the request's last write began ({@link System#nanoTime()}): what came before
   *     it was the load generator's own delay
   */
  record Answer(int status, String body, long serverNanos, long writtenAt) {}

  private final String host;
  private final int port;
  private Socket socket;
  private InputStream in;
  private OutputStream out;
  /** Requests answered on the current socket: a failure on a reused one may be a closed idle socket. */
  private int answered;

  HttpConnection(String host, int port) {
    this.host = host;
    this.port = port;
  }

  /** Posts {@code body} with {@code headers} (Content-Type among them) and reads the whole answer. */
  Answer post(String path, Map<String, String> headers, byte[] body) throws IOException {
    byte[] request = request(path, headers, body);
    try {
      return exchange(request);
    } catch (IOException e) {
      boolean reused = answered > 0;
      close();
      if (!reused) {
        throw e;
      }
      return exchange(request); // the server closed a kept-alive socket: once more on a new one
    }
  }

  private Answer exchange(byte[] request) throws IOException {
    if (socket == null) {
      socket = new Socket();
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(host, port), 5_000);
      in = new BufferedInputStream(socket.getInputStream(), 8192);
      out = socket.getOutputStream();
      answered = 0;
    }
    long writtenAt = System.nanoTime();
    out.write(request);
    out.flush();
    Answer answer = read(writtenAt);
    answered++;
    return answer;
  }

  private byte[] request(String path, Map<String, String> headers, byte[] body) {
    StringBuilder head = new StringBuilder(256).append("POST ").append(path).append(" HTTP/1.1\r\nHost: ")
        .append(host).append(':').append(port).append("\r\n");
    headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
    head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
    byte[] headBytes = head.toString().getBytes(StandardCharsets.US_ASCII);
    byte[] request = new byte[headBytes.length + body.length];
    System.arraycopy(headBytes, 0, request, 0, headBytes.length);
    System.arraycopy(body, 0, request, headBytes.length, body.length);
    return request;
  }

  private Answer read(long writtenAt) throws IOException {
    String statusLine = line();
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
      throw new IOException("Not an HTTP answer: " + statusLine);
    }
    int status = Integer.parseInt(parts[1]);
    long length = -1;
    boolean chunked = false;
    boolean close = false;
    long serverNanos = -1;
    for (String header = line(); !header.isEmpty(); header = line()) {
      int colon = header.indexOf(':');
      String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = header.substring(colon + 1).trim();
      switch (name) {
        case "content-length" -> length = Long.parseLong(value);
        case "transfer-encoding" -> chunked = value.equalsIgnoreCase("chunked");
        case "connection" -> close = value.equalsIgnoreCase("close");
        case "server-timing" -> serverNanos = serverNanos(value);
        default -> { }
      }
    }
    byte[] body = chunked ? chunkedBody() : in.readNBytes((int) Math.max(0, length));
    if (!chunked && length > 0 && body.length < length) {
      throw new EOFException("The answer ended after " + body.length + " of " + length + " bytes");
    }
    if (close) {
      close();
    }
    return new Answer(status, new String(body, StandardCharsets.UTF_8), serverNanos, writtenAt);
  }

  /** {@code app;dur=<ms>} (HttpApi) as nanoseconds, -1 if it is not that. */
  private static long serverNanos(String value) {
    int at = value.indexOf("dur=");
    try {
      return at < 0 ? -1 : Math.round(Double.parseDouble(value.substring(at + 4).split("[;,]")[0]) * 1e6);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private byte[] chunkedBody() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (int size = Integer.parseInt(line().split(";")[0].trim(), 16); size > 0;
        size = Integer.parseInt(line().split(";")[0].trim(), 16)) {
      body.write(in.readNBytes(size));
      line();
    }
    while (!line().isEmpty()) {
      // trailers
    }
    return body.toByteArray();
  }

  private String line() throws IOException {
    StringBuilder line = new StringBuilder(64);
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new EOFException("The server closed the connection");
      }
      if (b != '\r') {
        line.append((char) b);
      }
    }
    return line.toString();
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing: nothing left to do with it
      }
      socket = null;
    }
  }
}
