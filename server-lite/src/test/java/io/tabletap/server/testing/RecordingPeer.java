package io.tabletap.server.testing;

import io.tabletap.server.device.Device;
import io.tabletap.server.realtime.Peer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A connection that keeps what it is sent, and never falls behind: the hub's view of a client, for tests. */
public final class RecordingPeer implements Peer {
  public final List<String> frames = new CopyOnWriteArrayList<>();

  @Override
  public Device device() {
    return null;
  }

  @Override
  public boolean send(String frame) {
    frames.add(frame);
    return true;
  }

  @Override
  public int backlog() {
    return 0;
  }

  @Override
  public int capacity() {
    return 1000;
  }

  @Override
  public boolean isOpen() {
    return true;
  }

  @Override
  public void fallBehind() {}
}
