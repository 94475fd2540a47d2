package io.tabletap.server.audit;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One thing to write into the audit log: what happened ({@code type}), who did it ({@code actor}),
 * to what ({@code subject}), why, and a few facts in {@code details}. {@link AuditLog#append}
 * numbers, stamps and hashes it into an {@link AuditRecord}.
 *
 * <pre>{@code
 * audit.append(AuditEntry.of(AuditTypes.WEBHOOK_RECEIVED, AuditEntry.provider("payconic"), eventId)
 *     .withDetails(Map.of("eventType", "payment.succeeded", "transactionId", transactionId))
 *     .withDedupeKey("webhook:payconic:" + eventId + ":received"));
 * }</pre>
 *
 * <p><b>Never put a secret in an entry.</b> Rows are kept for good, cannot be changed without
 * breaking the chain, and every ADMIN can read them. An entry carries ids (payment, refund, order,
 * webhook event, device), amounts in minor units, statuses, event types and reasons a person typed
 * or a refusal code; never a token or its hash, an API key, a webhook secret or signature, a
 * password, a raw request body, card or bank data, or a customer's contact details.
 *
 * @param type a stable dotted name, see {@link AuditTypes}
 * @param actor who: a device id, {@link #SYSTEM}, or {@link #provider(String) provider:<name>}
 * @param subject what it is about (a payment id, a webhook event id), or null
 * @param reason why, in words, or null
 * @param cafeId the cafe it belongs to, or null for something of the whole server (a webhook not
 *     yet tied to a cafe); an admin sees the rows of their cafe and those of none
 * @param details facts as JSON-able values (strings, numbers, booleans, lists, maps); stored as
 *     JSON with sorted keys
 * @param dedupeKey names the step that writes this entry (e.g. {@code payment:<id>:COMPLETED}): an
 *     append whose key is in the log already writes nothing and returns the row there. Null: every
 *     append writes a row
 * @param occurredAt when it happened; null means now, by the log's clock
 */
public record AuditEntry(
    String type, String actor, String subject, String reason, String cafeId, Map<String, Object> details, String dedupeKey,
    Instant occurredAt) {

  public static final String SYSTEM = "system";
  public static final int MAX_TYPE_LENGTH = 64;
  public static final int MAX_ACTOR_LENGTH = 128;
  public static final int MAX_SUBJECT_LENGTH = 255;
  public static final int MAX_REASON_LENGTH = 500;
  public static final int MAX_CAFE_ID_LENGTH = 64;
  public static final int MAX_DEDUPE_KEY_LENGTH = 255;
  private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+");

  /** @throws IllegalArgumentException if a field is missing or too long, or the type is not dotted lower case */
  public AuditEntry {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(actor, "actor");
    if (!TYPE.matcher(type).matches() || type.length() > MAX_TYPE_LENGTH) {
      throw new IllegalArgumentException("An audit type is dotted lower case, e.g. payment.status_changed: '" + type + "'");
    }
    if (actor.isBlank()) {
      throw new IllegalArgumentException("An audit entry needs an actor");
    }
    check("actor", actor, MAX_ACTOR_LENGTH);
    check("subject", subject, MAX_SUBJECT_LENGTH);
    check("reason", reason, MAX_REASON_LENGTH);
    check("cafeId", cafeId, MAX_CAFE_ID_LENGTH);
    check("dedupeKey", dedupeKey, MAX_DEDUPE_KEY_LENGTH);
    details = details == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(details));
  }

  /** An entry with no reason, cafe, details or dedupe key yet, happening now. */
  public static AuditEntry of(String type, String actor, String subject) {
    return new AuditEntry(type, actor, subject, null, null, null, null, null);
  }

  /** The actor for something a payment provider told us: {@code provider:payconic}. */
  public static String provider(String name) {
    return "provider:" + name;
  }

  public AuditEntry withReason(String newReason) {
    return new AuditEntry(type, actor, subject, newReason, cafeId, details, dedupeKey, occurredAt);
  }

  public AuditEntry withCafe(String newCafeId) {
    return new AuditEntry(type, actor, subject, reason, newCafeId, details, dedupeKey, occurredAt);
  }

  public AuditEntry withDetails(Map<String, ?> newDetails) {
    return new AuditEntry(type, actor, subject, reason, cafeId, newDetails == null ? null : new TreeMap<>(newDetails), dedupeKey,
        occurredAt);
  }

  public AuditEntry withDedupeKey(String newDedupeKey) {
    return new AuditEntry(type, actor, subject, reason, cafeId, details, newDedupeKey, occurredAt);
  }

  public AuditEntry at(Instant when) {
    return new AuditEntry(type, actor, subject, reason, cafeId, details, dedupeKey, when);
  }

  private static void check(String field, String value, int max) {
    if (value != null && value.length() > max) {
      throw new IllegalArgumentException("An audit " + field + " has at most " + max + " characters");
    }
  }
}
