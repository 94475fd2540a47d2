package io.tabletap.server.audit;

/**
 * Which audit rows to list; a null field does not filter.
 *
 * @param type only rows of exactly this type
 * @param subject only rows about exactly this subject
 * @param cafeId only rows of this cafe and rows of no cafe (server-wide ones)
 */
public record AuditFilter(String type, String subject, String cafeId) {
  public static final AuditFilter ALL = new AuditFilter(null, null, null);
}
