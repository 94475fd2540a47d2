package io.tabletap.server.audit;

import java.time.Instant;

/**
 * One row of the audit log as stored: an {@link AuditEntry} with its place in the chain.
 *
 * @param seq 1, 2, 3, … without gaps
 * @param occurredAt to the millisecond
 * @param details a JSON object, exactly the text that was hashed
 * @param prevHash the previous row's {@code hash}; {@link AuditChain#GENESIS_HASH} for row 1
 * @param hash {@link AuditChain#hash} of every other field
 */
public record AuditRecord(
    long seq, Instant occurredAt, String type, String actor, String reason, String subject, String cafeId, String details,
    String dedupeKey, String prevHash, String hash) {}
