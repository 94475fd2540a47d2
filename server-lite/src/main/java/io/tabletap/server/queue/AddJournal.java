package io.tabletap.server.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tabletap.server.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An append-only file of jobs that were added but are not in the {@code jobs} table yet: the
 * queue's fast way in (decision 0021). An add is acknowledged once its record is written here,
 * which survives {@code kill -9} as an H2 commit with {@code WRITE_DELAY=0} does (both are in
 * the operating system's hands; neither is fsynced, decision 0001). A worker later writes the job
 * into H2 in the same transaction that runs it, and then marks the record applied.
 *
 * <p>Records go to numbered segment files ({@code adds-<n>.log}); each record is its length, a
 * CRC-32 and a JSON object. A segment is deleted once every record in it is applied and a newer
 * one is being written. On open, every record of the old segments is read back ({@link #unapplied})
 * and a new segment is started: a record cut short by a power loss ends its segment's reading,
 * and nothing is ever appended after it.
 *
 * <p>Only jobs with a remembered key ({@code jobId} with {@code rememberKey()}), no delay, no
 * prerequisite and their queue's attempts, backoff and retention are journaled ({@link #carries});
 * the record holds what such a job needs. The key makes a replay harmless: a record whose job is in
 * H2 (or was, and retention removed it) adds nothing. After a {@code kill -9} the last segment may
 * hold records already applied; they are read back, found, and dropped. Thread-safe.
 */
final class AddJournal implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AddJournal.class);
  /** A new segment once the current one is this long. */
  static final long SEGMENT_BYTES = 8L * 1024 * 1024;
  /** A segment this long whose records are all applied is replaced at once (less to read back). */
  static final long ROLL_WHEN_APPLIED = 64L * 1024;
  private static final String PREFIX = "adds-";
  private static final String SUFFIX = ".log";
  private static final int HEADER = 8;
  private static final int MAX_RECORD = 1024 * 1024;

  /** A journaled add: the job's id and time, and its spec; {@code segment} is where it is written. */
  record Entry(long segment, long sequence, UUID id, Instant addedAt, JobSpec spec) {}

  private final Path dir;
  private final long segmentBytes;
  /** Per segment: records written (or read back) and not yet applied. */
  private final Map<Long, Integer> outstanding = new TreeMap<>();
  private final List<Entry> unapplied;
  private FileChannel channel;
  private long segment;
  private long written;
  private long sequence;

  private AddJournal(Path dir, long segmentBytes, List<Entry> unapplied, long nextSegment) {
    this.dir = dir;
    this.segmentBytes = segmentBytes;
    this.unapplied = unapplied;
    for (Entry entry : unapplied) {
      outstanding.merge(entry.segment(), 1, Integer::sum);
      sequence = Math.max(sequence, entry.sequence());
    }
    this.segment = nextSegment - 1;
  }

  /** Opens the journal in {@code dir} (created if need be), reading back what older segments hold. */
  static AddJournal open(Path dir) {
    return open(dir, SEGMENT_BYTES);
  }

  /** As {@link #open(Path)}, starting a new segment after {@code segmentBytes} (tests make it small). */
  static AddJournal open(Path dir, long segmentBytes) {
    try {
      Files.createDirectories(dir);
      List<Entry> entries = new ArrayList<>();
      long last = 0;
      List<Path> segments;
      try (Stream<Path> files = Files.list(dir)) {
        segments = files.filter(AddJournal::isSegment).sorted((a, b) -> Long.compare(number(a), number(b))).toList();
      }
      long sequence = 0;
      for (Path file : segments) {
        long n = number(file);
        last = Math.max(last, n);
        List<Entry> read = read(file, n, sequence);
        if (read.isEmpty()) {
          Files.delete(file);
        }
        entries.addAll(read);
        sequence += read.size();
      }
      AddJournal journal = new AddJournal(dir, segmentBytes, entries, last + 1);
      journal.roll();
      return journal;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot open the job journal in " + dir, e);
    }
  }

  /** Whether a job of {@code spec} may go through the journal (see the class comment). */
  static boolean carries(JobSpec spec) {
    // a remembered key makes replaying a record idempotent even after retention removed its job
    return spec.jobId().isPresent() && spec.remembersKey() && spec.delay().isZero() && spec.prerequisite().isEmpty()
        && spec.attempts().isEmpty() && spec.backoff().isEmpty() && spec.removeOnComplete().isEmpty()
        && spec.removeOnFail().isEmpty();
  }

  /** The records read back on open, oldest first; each must still be applied (or found applied). */
  List<Entry> unapplied() {
    return List.copyOf(unapplied);
  }

  /**
   * Writes the add of {@code spec} as job {@code id}; when this returns, the record is in the
   * operating system's hands.
   */
  Entry append(UUID id, Instant addedAt, JobSpec spec) {
    if (!carries(spec)) {
      throw new IllegalArgumentException("The journal does not carry " + spec);
    }
    // encoded before taking the lock: the HTTP threads wait for each other only while one writes
    ByteBuffer buffer = encode(id, addedAt, spec);
    Entry entry;
    boolean rolled = false;
    synchronized (this) {
      try {
        if (channel == null) {
          throw new IllegalStateException("The job journal is closed");
        }
        if (written >= segmentBytes) {
          roll();
          rolled = true;
        }
        while (buffer.hasRemaining()) {
          written += channel.write(buffer);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot write to the job journal", e);
      }
      outstanding.merge(segment, 1, Integer::sum);
      entry = new Entry(segment, ++sequence, id, addedAt, spec);
    }
    if (rolled) { // the segment just left may have been the last one holding finished segments back
      deleteFinishedSegments();
    }
    return entry;
  }

  /** A record: its length, the CRC-32 of its body, and the body, a JSON object. */
  private static ByteBuffer encode(UUID id, Instant addedAt, JobSpec spec) {
    ObjectNode record = Json.mapper().createObjectNode();
    record.put("id", id.toString());
    record.put("at", addedAt.toString());
    record.put("queue", spec.queue());
    record.put("name", spec.name());
    record.put("v", spec.payloadVersion());
    spec.priority().ifPresent(p -> record.put("priority", p));
    spec.jobId().ifPresent(k -> record.put("key", k));
    record.put("remember", spec.remembersKey());
    record.set("data", spec.data());
    byte[] body = record.toString().getBytes(StandardCharsets.UTF_8);
    CRC32 crc = new CRC32();
    crc.update(body);
    ByteBuffer buffer = ByteBuffer.allocate(HEADER + body.length);
    buffer.putInt(body.length).putInt((int) crc.getValue()).put(body).flip();
    return buffer;
  }

  /** The jobs of {@code entries} are in H2 now (committed): their records are no longer needed. */
  void applied(Collection<Entry> entries) {
    synchronized (this) {
      for (Entry entry : entries) {
        outstanding.computeIfPresent(entry.segment(), (s, n) -> n - 1);
      }
      if (channel != null && written >= ROLL_WHEN_APPLIED && outstanding.getOrDefault(segment, 0) <= 0) {
        try {
          roll();
        } catch (IOException e) {
          throw new UncheckedIOException("Cannot start a new job journal segment", e);
        }
      }
    }
    deleteFinishedSegments();
  }

  /**
   * Deletes the segments whose records are all applied, but the one being written. Outside the
   * lock: deleting an 8 MiB file must not hold up the HTTP threads appending (a finished segment
   * is no one's any more; should the process die first, its records are read back and dropped).
   */
  private void deleteFinishedSegments() {
    List<Path> finished = new ArrayList<>();
    synchronized (this) {
      var it = outstanding.entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<Long, Integer> e = it.next();
        if (e.getValue() <= 0 && e.getKey() != segment) {
          it.remove();
          finished.add(file(e.getKey()));
        }
      }
    }
    for (Path file : finished) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException failed) {
        log.warn("Could not delete the applied journal segment {}: {}", file, failed.getMessage());
      }
    }
  }

  private void roll() throws IOException {
    if (channel != null) {
      channel.close();
    }
    segment++;
    channel = FileChannel.open(file(segment), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    written = 0;
    outstanding.putIfAbsent(segment, 0);
  }

  private Path file(long n) {
    return dir.resolve(String.format("%s%016d%s", PREFIX, n, SUFFIX));
  }

  private static boolean isSegment(Path p) {
    String name = p.getFileName().toString();
    return name.startsWith(PREFIX) && name.endsWith(SUFFIX) && name.length() == PREFIX.length() + 16 + SUFFIX.length();
  }

  private static long number(Path p) {
    String name = p.getFileName().toString();
    return Long.parseLong(name.substring(PREFIX.length(), name.length() - SUFFIX.length()));
  }

  /** The records of one segment, up to the first that is cut short or does not match its CRC. */
  private static List<Entry> read(Path file, long n, long sequenceBefore) throws IOException {
    byte[] all = Files.readAllBytes(file);
    ByteBuffer in = ByteBuffer.wrap(all);
    List<Entry> entries = new ArrayList<>();
    while (in.remaining() >= HEADER) {
      int length = in.getInt();
      int expected = in.getInt();
      if (length <= 0 || length > MAX_RECORD || length > in.remaining()) {
        log.warn("Journal segment {} ends in a record cut short at byte {}; read {} record(s) before it", file,
            in.position() - HEADER, entries.size());
        break;
      }
      byte[] body = new byte[length];
      in.get(body);
      CRC32 crc = new CRC32();
      crc.update(body);
      if ((int) crc.getValue() != expected) {
        log.warn("Journal segment {} has a damaged record at byte {}; read {} record(s) before it", file,
            in.position() - length - HEADER, entries.size());
        break;
      }
      entries.add(parse(body, n, sequenceBefore + entries.size() + 1));
    }
    return entries;
  }

  private static Entry parse(byte[] body, long segment, long sequence) throws IOException {
    JsonNode r = Json.mapper().readTree(body);
    JobSpec.Builder spec = JobSpec.builder(r.get("queue").asText(), r.get("name").asText())
        .data(r.get("data"))
        .payloadVersion(r.get("v").asInt());
    if (r.hasNonNull("priority")) {
      spec.priority(r.get("priority").asInt());
    }
    if (r.hasNonNull("key")) {
      spec.jobId(r.get("key").asText());
    }
    if (r.path("remember").asBoolean(false)) {
      spec.rememberKey();
    }
    return new Entry(segment, sequence, UUID.fromString(r.get("id").asText()), Instant.parse(r.get("at").asText()),
        spec.build());
  }

  @Override
  public void close() {
    synchronized (this) {
      if (channel == null) {
        return;
      }
      try {
        channel.close();
      } catch (IOException e) {
        log.warn("Closing the job journal: {}", e.getMessage());
      }
      channel = null;
      segment = -1; // the current segment too may go now, if all its records were applied
    }
    deleteFinishedSegments();
  }
}
