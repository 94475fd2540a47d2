package io.tabletap.server.realtime;

import io.tabletap.server.device.Device;

/**
 * One connected, authenticated client as the hub sees it. Implementations are thread-safe: the
 * hub calls {@link #send} from publishing threads while the client's own frames are handled.
 */
public interface Peer {
  Device device();

  /**
   * Queues a text frame. Returns false if the peer is gone or is too far behind: in that case the
   * peer has been cut (closed with 4408) and will get nothing more.
   */
  boolean send(String frame);

  /**
   * Queues several text frames, in order, as one write where the transport allows it: the frames
   * one commit sends to one peer (five per paid order for a kitchen screen). Same result as {@link
   * #send} for each. Peers in the same rooms get the same batch, so a transport that encodes frames
   * does it once per batch ({@link FrameBatch#encoded}).
   */
  default boolean sendAll(FrameBatch batch) {
    for (String frame : batch.frames()) {
      if (!send(frame)) {
        return false;
      }
    }
    return true;
  }

  /** Frames queued and not yet written to the network. */
  int backlog();

  /** The most frames that may wait; {@link #send} cuts the peer beyond it. */
  int capacity();

  boolean isOpen();

  /** Closes the peer with 4408: it fell behind and must resubscribe with {@code since}. */
  void fallBehind();
}
