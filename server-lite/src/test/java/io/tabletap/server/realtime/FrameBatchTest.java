package io.tabletap.server.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import io.tabletap.server.testing.RecordingPeer;
import org.junit.jupiter.api.Test;

/** A commit's frames for peers in the same rooms: encoded once, whoever asks. */
class FrameBatchTest {

  @Test
  void theFirstPeerToAskEncodesTheFramesAndTheOthersGetTheSameEncoding() {
    AtomicInteger encodings = new AtomicInteger();
    Function<List<String>, String> encoder = frames -> {
      encodings.incrementAndGet();
      return String.join("|", frames);
    };
    List<String> frames = new ArrayList<>(List.of("{\"a\":1}", "{\"b\":2}"));
    FrameBatch batch = new FrameBatch(frames);
    frames.add("changed after"); // the batch keeps its own copy

    List<String> seen = new ArrayList<>();
    for (int peer = 0; peer < 50; peer++) {
      seen.add(batch.encoded(encoder));
    }

    assertThat(encodings).hasValue(1);
    assertThat(seen).allSatisfy(s -> assertThat(s).isSameAs(seen.get(0)).isEqualTo("{\"a\":1}|{\"b\":2}"));
    assertThat(batch.frames()).containsExactly("{\"a\":1}", "{\"b\":2}");
  }

  @Test
  void anotherEncoderGetsItsOwnEncoding() {
    FrameBatch batch = new FrameBatch(List.of("x"));
    Function<List<String>, Integer> size = List::size;
    Function<List<String>, String> text = frames -> frames.get(0);

    assertThat(batch.encoded(size)).isEqualTo(1);
    assertThat(batch.encoded(text)).isEqualTo("x");
  }

  @Test
  void aPeerWithoutItsOwnEncodingGetsTheFramesOneByOne() {
    RecordingPeer peer = new RecordingPeer();

    assertThat(peer.sendAll(new FrameBatch(List.of("one", "two")))).isTrue();
    assertThat(peer.frames).containsExactly("one", "two");
  }
}
