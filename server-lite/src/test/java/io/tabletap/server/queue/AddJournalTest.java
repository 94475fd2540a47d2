package io.tabletap.server.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal of adds on its own: what it reads back after a stop, and what it refuses to. */
class AddJournalTest {
  private static final Instant AT = Instant.parse("2026-11-26T10:00:00.123456Z");

  @TempDir Path dir;

  private static JobSpec spec(int n) {
    return JobSpec.builder("webhook-processing", "process_webhook")
        .dataJson("{\"n\":" + n + ",\"cafeId\":\"demo\",\"text\":\"é ✓\"}")
        .priority(n % 3)
        .jobId("payconic:evt_" + n)
        .rememberKey()
        .build();
  }

  @Test
  void whatWasAppendedIsReadBackAfterAReopenWithEveryField() {
    List<UUID> ids = new ArrayList<>();
    try (AddJournal journal = AddJournal.open(dir)) {
      for (int n = 0; n < 3; n++) {
        UUID id = UUID.randomUUID();
        ids.add(id);
        journal.append(id, AT.plusSeconds(n), spec(n));
      }
    }

    try (AddJournal reopened = AddJournal.open(dir)) {
      List<AddJournal.Entry> back = reopened.unapplied();
      assertThat(back).extracting(AddJournal.Entry::id).containsExactlyElementsOf(ids);
      AddJournal.Entry second = back.get(1);
      assertThat(second.addedAt()).isEqualTo(AT.plusSeconds(1));
      assertThat(second.spec().queue()).isEqualTo("webhook-processing");
      assertThat(second.spec().name()).isEqualTo("process_webhook");
      assertThat(second.spec().data()).isEqualTo(spec(1).data());
      assertThat(second.spec().priority()).contains(1);
      assertThat(second.spec().jobId()).contains("payconic:evt_1");
      assertThat(second.spec().remembersKey()).isTrue();
      assertThat(second.spec().cafeId()).contains("demo");
      assertThat(back).extracting(AddJournal.Entry::sequence).isSorted().doesNotHaveDuplicates();
    }
  }

  @Test
  void aRecordCutShortEndsItsSegmentAndNothingIsWrittenAfterIt() throws IOException {
    Path segment = segmentOfThreeRecords();
    try (FileChannel file = FileChannel.open(segment, StandardOpenOption.WRITE)) {
      file.truncate(file.size() - 5); // a power loss in the middle of the last record
    }
    long cut = Files.size(segment);

    try (AddJournal reopened = AddJournal.open(dir)) {
      assertThat(reopened.unapplied()).hasSize(2);
      reopened.append(UUID.randomUUID(), AT, spec(9)); // goes to a new segment, never after the cut
      assertThat(Files.size(segment)).isEqualTo(cut);
    }
    try (AddJournal again = AddJournal.open(dir)) {
      assertThat(again.unapplied()).extracting(e -> e.spec().jobId().orElseThrow())
          .containsExactly("payconic:evt_0", "payconic:evt_1", "payconic:evt_9");
    }
  }

  @Test
  void aDamagedRecordIsNotReadNorAnythingAfterItInItsSegment() throws IOException {
    Path segment = segmentOfThreeRecords();
    byte[] bytes = Files.readAllBytes(segment);
    int firstLength = ByteBuffer.wrap(bytes).getInt();
    int secondBody = 8 + firstLength + 8;
    bytes[secondBody + 10] ^= 0x20; // one bit of the second record's JSON
    Files.write(segment, bytes);

    try (AddJournal reopened = AddJournal.open(dir)) {
      assertThat(reopened.unapplied()).extracting(e -> e.spec().jobId().orElseThrow()).containsExactly("payconic:evt_0");
    }
  }

  @Test
  void aSegmentIsDeletedOnceAllItsRecordsAreAppliedAndANewerOneIsWritten() throws IOException {
    List<AddJournal.Entry> entries = new ArrayList<>();
    try (AddJournal journal = AddJournal.open(dir, 600)) { // a few records per segment
      for (int n = 0; n < 12; n++) {
        entries.add(journal.append(UUID.randomUUID(), AT, spec(n)));
      }
      assertThat(segments()).hasSizeGreaterThan(3);
      journal.applied(entries.subList(0, 6));
      long firstUnapplied = entries.get(6).segment();
      assertThat(segments()).allSatisfy(s -> assertThat(number(s)).isGreaterThanOrEqualTo(firstUnapplied));
      journal.applied(entries.subList(6, 12));
      assertThat(segments()).hasSize(1); // the one being written
    }
    assertThat(segments()).as("a close lets the applied current segment go too").isEmpty();
    try (AddJournal reopened = AddJournal.open(dir)) {
      assertThat(reopened.unapplied()).isEmpty();
      assertThat(segments()).hasSize(1);
    }
  }

  @Test
  void carriesOnlyJobsThatNeedNothingButTheirQueuesDefaults() {
    assertThat(AddJournal.carries(spec(1))).isTrue();
    JobSpec delayed = spec(1).toBuilder().delay(Duration.ofSeconds(1)).build();
    JobSpec ownAttempts = spec(1).toBuilder().attempts(7).build();
    JobSpec withPrerequisite = spec(1).toBuilder().after(UUID.randomUUID()).build();
    JobSpec keyless = JobSpec.builder("webhook-processing", "process_webhook").dataJson("{}").build();
    JobSpec keyForgotten = JobSpec.builder("webhook-processing", "process_webhook").dataJson("{}").jobId("k").build();
    assertThat(List.of(delayed, ownAttempts, withPrerequisite, keyless, keyForgotten)).noneMatch(AddJournal::carries);
    try (AddJournal journal = AddJournal.open(dir)) {
      assertThatThrownBy(() -> journal.append(UUID.randomUUID(), AT, delayed)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  /** A journal of three records, closed: its one segment. */
  private Path segmentOfThreeRecords() throws IOException {
    try (AddJournal journal = AddJournal.open(dir)) {
      for (int n = 0; n < 3; n++) {
        journal.append(UUID.randomUUID(), AT, spec(n));
      }
    }
    return onlySegment();
  }

  private Path onlySegment() throws IOException {
    List<Path> all = segments();
    // the journal starts a new, empty segment on every open; the records are in the oldest one
    return all.get(0);
  }

  private List<Path> segments() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().startsWith("adds-")).sorted().toList();
    }
  }

  private static long number(Path segment) {
    String name = segment.getFileName().toString();
    return Long.parseLong(name.substring("adds-".length(), name.length() - ".log".length()));
  }
}
