package io.tabletap.server.audit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

/**
 * How a row's hash is made (docs/decisions/0013). Pure functions, no I/O.
 *
 * <p>{@code hash = lower-case hex of SHA-256(canonical bytes)}. The canonical bytes are the UTF-8
 * of the tag {@code tabletap-audit/1}, then for each field in this order — seq, occurred_at, type,
 * actor, reason, subject, cafe_id, details, dedupe_key, prev_hash — a line feed followed by either
 * {@code -} (the field is null) or the field's length in UTF-8 bytes, a colon and the field. The
 * length prefix makes the encoding unambiguous whatever a field contains (colons, line feeds,
 * dashes), so two different rows never share their canonical bytes. seq is written in decimal,
 * occurred_at as {@code yyyy-MM-ddTHH:mm:ss.SSSZ} in UTC.
 */
public final class AuditChain {
  /** The {@code prev_hash} of row 1. */
  public static final String GENESIS_HASH = "0".repeat(64);
  private static final String TAG = "tabletap-audit/1";
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private AuditChain() {}

  /** The hash a row must carry, computed from its other fields (its own {@code hash} is ignored). */
  public static String hashOf(AuditRecord r) {
    return hash(r.seq(), r.occurredAt(), r.type(), r.actor(), r.reason(), r.subject(), r.cafeId(), r.details(), r.dedupeKey(),
        r.prevHash());
  }

  public static String hash(long seq, Instant occurredAt, String type, String actor, String reason, String subject, String cafeId,
      String details, String dedupeKey, String prevHash) {
    return HexFormat.of().formatHex(sha256(canonical(seq, occurredAt, type, actor, reason, subject, cafeId, details, dedupeKey,
        prevHash)));
  }

  static byte[] canonical(long seq, Instant occurredAt, String type, String actor, String reason, String subject, String cafeId,
      String details, String dedupeKey, String prevHash) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    out.writeBytes(TAG.getBytes(StandardCharsets.UTF_8));
    field(out, Long.toString(seq));
    field(out, occurredAt == null ? null : TIME.format(occurredAt));
    field(out, type);
    field(out, actor);
    field(out, reason);
    field(out, subject);
    field(out, cafeId);
    field(out, details);
    field(out, dedupeKey);
    field(out, prevHash);
    return out.toByteArray();
  }

  private static void field(ByteArrayOutputStream out, String value) {
    out.write('\n');
    if (value == null) {
      out.write('-');
      return;
    }
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    out.writeBytes((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(bytes);
  }

  private static byte[] sha256(byte[] input) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(input);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every Java runtime has SHA-256", e);
    }
  }
}
