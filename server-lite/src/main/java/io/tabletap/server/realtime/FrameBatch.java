package io.tabletap.server.realtime;

import java.util.List;
import java.util.function.Function;

/**
 * The frames one commit sends to every peer that is in the same rooms: most kitchen screens get
 * exactly the same frames. The transport turns them into bytes once, for the first peer that asks,
 * and gives the others the same bytes ({@link #encoded}); encoding them for each of 50 screens
 * separately took 6% of the webhook worker's time (JFR, docs/performance.md "Session 4").
 * Thread-safe.
 */
public final class FrameBatch {
  private final List<String> frames;
  private Function<List<String>, ?> encoder;
  private Object encoded;

  public FrameBatch(List<String> frames) {
    this.frames = List.copyOf(frames);
  }

  public List<String> frames() {
    return frames;
  }

  /**
   * The frames as {@code encoder} makes them, made once: a later call with the same encoder gets
   * the same object (so it must not be changed; a buffer is handed on as a duplicate).
   */
  @SuppressWarnings("unchecked")
  public synchronized <T> T encoded(Function<List<String>, T> encoder) {
    if (this.encoder != encoder) {
      this.encoded = encoder.apply(frames);
      this.encoder = encoder;
    }
    return (T) encoded;
  }
}
