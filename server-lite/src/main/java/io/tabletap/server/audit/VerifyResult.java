package io.tabletap.server.audit;

/**
 * What {@link AuditLog#verify()} found.
 *
 * @param ok every row is intact and linked to the one before, and the chain head names the last
 * @param checkedRows rows found intact (before the break, when there is one)
 * @param firstBrokenSeq the first row that is changed, missing or badly linked; null when ok
 * @param reason why it is broken, in words; null when ok
 * @param headHash when ok, the hash of the last row ({@link AuditChain#GENESIS_HASH} for an empty
 *     log): keep it somewhere else to notice a later rewrite of the whole chain; null when broken
 */
public record VerifyResult(boolean ok, long checkedRows, Long firstBrokenSeq, String reason, String headHash) {

  static VerifyResult intact(long rows, String headHash) {
    return new VerifyResult(true, rows, null, null, headHash);
  }

  static VerifyResult broken(long checkedRows, long seq, String reason) {
    return new VerifyResult(false, checkedRows, seq, reason, null);
  }
}
