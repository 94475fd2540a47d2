package io.tabletap.server.http;

import io.tabletap.server.errors.ApiException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.tabletap.server.audit.AuditFilter;
import io.tabletap.server.audit.AuditLog;
import io.tabletap.server.audit.AuditRecord;
import io.tabletap.server.device.Role;
import io.tabletap.server.json.Json;
import java.io.IOException;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;

/**
 * {@code GET /api/admin/audit}: the audit log for an ADMIN, oldest first, with each row's hash and
 * the hash of the row before, so that a copy of a hash kept elsewhere can be compared. An admin sees
 * the rows of their cafe and the rows of no cafe (server-wide ones, such as a refused webhook).
 */
final class AuditRoutes {
  private static final int DEFAULT_LIMIT = 100;

  private final AuditLog audit;

  AuditRoutes(AuditLog audit) {
    this.audit = audit;
  }

  List<Route> routes() {
    return List.of(new Route("GET", "/api/admin/audit", EnumSet.of(Role.ADMIN), this::list));
  }

  /** @param details the row's details as JSON (as text when a row holds text that is not JSON) */
  record RecordView(long seq, Instant occurredAt, String type, String actor, String reason, String subject, String cafeId,
      JsonNode details, String dedupeKey, String prevHash, String hash) {}

  /** @param nextAfter pass as {@code after} for the next page; null when this page is the last */
  record PageView(List<RecordView> records, Long nextAfter) {}

  private Response list(Request request) {
    String type = request.queryParam("type").filter(t -> !t.isEmpty()).orElse(null);
    String subject = request.queryParam("subject").filter(s -> !s.isEmpty()).orElse(null);
    long after = request.queryParam("after").map(AuditRoutes::after).orElse(0L);
    int limit = request.queryParam("limit").map(AuditRoutes::limit).orElse(DEFAULT_LIMIT);
    List<AuditRecord> records = audit.list(new AuditFilter(type, subject, request.device().cafeId()), limit, after);
    Long nextAfter = records.size() == limit ? records.get(records.size() - 1).seq() : null;
    return Response.ok(new PageView(records.stream().map(AuditRoutes::view).toList(), nextAfter));
  }

  private static long after(String value) {
    try {
      long after = Long.parseLong(value);
      if (after >= 0) {
        return after;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new ApiException(400, "bad_parameter", "after must be a seq, 0 or more");
  }

  private static int limit(String value) {
    try {
      int limit = Integer.parseInt(value);
      if (limit >= 1 && limit <= AuditLog.MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new ApiException(400, "bad_parameter", "limit must be 1 to " + AuditLog.MAX_LIMIT);
  }

  private static RecordView view(AuditRecord r) {
    return new RecordView(r.seq(), r.occurredAt(), r.type(), r.actor(), r.reason(), r.subject(), r.cafeId(), details(r.details()),
        r.dedupeKey(), r.prevHash(), r.hash());
  }

  private static JsonNode details(String json) {
    try {
      return Json.mapper().readTree(json);
    } catch (IOException e) {
      return TextNode.valueOf(json);
    }
  }
}
