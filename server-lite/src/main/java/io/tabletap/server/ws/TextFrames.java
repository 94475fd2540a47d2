package io.tabletap.server.ws;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Unmasked WebSocket text frames (server to client, RFC 6455 §5.2), several in one buffer. */
final class TextFrames {
  private static final int FIN_TEXT = 0x81;

  private TextFrames() {}

  static ByteBuffer join(List<String> texts) {
    List<byte[]> payloads = new ArrayList<>(texts.size());
    int size = 0;
    for (String text : texts) {
      byte[] payload = text.getBytes(StandardCharsets.UTF_8);
      payloads.add(payload);
      size += headerLength(payload.length) + payload.length;
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    for (byte[] payload : payloads) {
      out.put((byte) FIN_TEXT);
      if (payload.length < 126) {
        out.put((byte) payload.length);
      } else if (payload.length <= 0xFFFF) {
        out.put((byte) 126);
        out.putShort((short) payload.length);
      } else {
        out.put((byte) 127);
        out.putLong(payload.length);
      }
      out.put(payload);
    }
    return out.flip();
  }

  static int headerLength(int payloadLength) {
    return payloadLength < 126 ? 2 : payloadLength <= 0xFFFF ? 4 : 10;
  }
}
