package io.tabletap.server.realtime;

import java.time.Duration;

/**
 * How the real-time endpoint behaves. Only {@code port} is an operator setting ({@code ws.port});
 * the rest are defaults that tests shorten.
 *
 * @param port the WebSocket port; 0 picks a free port (tests)
 * @param authTimeout a connection that has not authenticated by then is closed with 4401
 * @param maxFrameBytes a bigger frame (or message) is refused with close code 1009
 * @param badFrameLimit after this many bad frames the connection is closed with 4400
 * @param outboundFrames frames waiting to be written to one connection; one more closes it with 4408
 * @param pingInterval how often the server pings a connection
 * @param silenceLimit a connection silent (no frame, no pong) this long is dropped
 * @param retention an event younger than this can always be replayed
 * @param retainedEventsPerCafe the newest this many events of a cafe can always be replayed
 * @param closeGrace how long a closing peer has to finish the close handshake before the socket is cut; also
 *     how long the server goes on reading (and discarding) what a closed peer still sends, so that a reset
 *     cannot overtake the close frame (ws.LingeringClose)
 */
public record RealtimeConfig(
    int port, Duration authTimeout, int maxFrameBytes, int badFrameLimit, int outboundFrames, Duration pingInterval,
    Duration silenceLimit, Duration retention, int retainedEventsPerCafe, Duration closeGrace) {

  public static final int DEFAULT_PORT = 8081;

  public RealtimeConfig {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port " + port);
    }
    if (badFrameLimit < 1 || outboundFrames < 2 || maxFrameBytes < 1024 || retainedEventsPerCafe < 1) {
      throw new IllegalArgumentException("limits must be positive");
    }
  }

  public static RealtimeConfig defaults() {
    return new RealtimeConfig(DEFAULT_PORT, Duration.ofSeconds(5), 64 * 1024, 20, 1_000, Duration.ofSeconds(15),
        Duration.ofSeconds(45), Duration.ofHours(24), 100_000, Duration.ofSeconds(5));
  }

  public RealtimeConfig withPort(int newPort) {
    return new RealtimeConfig(newPort, authTimeout, maxFrameBytes, badFrameLimit, outboundFrames, pingInterval, silenceLimit,
        retention, retainedEventsPerCafe, closeGrace);
  }

  public RealtimeConfig withAuthTimeout(Duration timeout) {
    return new RealtimeConfig(port, timeout, maxFrameBytes, badFrameLimit, outboundFrames, pingInterval, silenceLimit,
        retention, retainedEventsPerCafe, closeGrace);
  }

  public RealtimeConfig withOutboundFrames(int frames) {
    return new RealtimeConfig(port, authTimeout, maxFrameBytes, badFrameLimit, frames, pingInterval, silenceLimit,
        retention, retainedEventsPerCafe, closeGrace);
  }

  public RealtimeConfig withLiveness(Duration ping, Duration silence) {
    return new RealtimeConfig(port, authTimeout, maxFrameBytes, badFrameLimit, outboundFrames, ping, silence,
        retention, retainedEventsPerCafe, closeGrace);
  }

  public RealtimeConfig withCloseGrace(Duration grace) {
    return new RealtimeConfig(port, authTimeout, maxFrameBytes, badFrameLimit, outboundFrames, pingInterval, silenceLimit,
        retention, retainedEventsPerCafe, grace);
  }

  public RealtimeConfig withWindow(Duration keep, int eventsPerCafe) {
    return new RealtimeConfig(port, authTimeout, maxFrameBytes, badFrameLimit, outboundFrames, pingInterval, silenceLimit,
        keep, eventsPerCafe, closeGrace);
  }
}
