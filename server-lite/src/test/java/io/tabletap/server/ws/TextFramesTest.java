package io.tabletap.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Frames joined into one buffer read back as the same texts, at every length encoding. */
class TextFramesTest {
  @Test
  void everyLengthEncodingReadsBackAsTheSameTexts() {
    List<String> texts = List.of("", "é".repeat(62) + "a", "x".repeat(125), "x".repeat(126), "y".repeat(65_535),
        "z".repeat(65_536), "{\"type\":\"event\",\"data\":\"☕\"}");

    assertThat(read(TextFrames.join(texts))).containsExactlyElementsOf(texts);
  }

  /** A reader of unmasked frames, written from RFC 6455 §5.2 alone. */
  private static List<String> read(ByteBuffer in) {
    List<String> texts = new ArrayList<>();
    while (in.hasRemaining()) {
      assertThat(in.get() & 0xFF).as("FIN + text opcode").isEqualTo(0x81);
      int first = in.get() & 0xFF;
      assertThat(first & 0x80).as("server frames are not masked").isZero();
      long length = first & 0x7F;
      if (length == 126) {
        length = in.getShort() & 0xFFFF;
      } else if (length == 127) {
        length = in.getLong();
      }
      byte[] payload = new byte[(int) length];
      in.get(payload);
      texts.add(new String(payload, StandardCharsets.UTF_8));
    }
    return texts;
  }
}
