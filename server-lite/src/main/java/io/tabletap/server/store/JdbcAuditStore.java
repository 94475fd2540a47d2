package io.tabletap.server.store;

import io.tabletap.server.audit.AuditFilter;
import io.tabletap.server.audit.AuditRecord;
import io.tabletap.server.audit.AuditStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The audit log on H2 (tables of V006). Rows are only inserted. Appends are serialised by the row
 * lock on the single row of {@code audit_chain_head}, which names the last row and moves in the same
 * transaction as each insert; the primary key on {@code seq} and the unique {@code dedupe_key} are
 * backstops.
 *
 * <p>{@link #append(Connection, String, Function)} does the same work inside a transaction the
 * caller owns, for a store that wants its change and its audit row committed together. It holds
 * the chain head's lock until that transaction ends, so every other append waits for it: keep such
 * transactions short.
 */
public final class JdbcAuditStore implements AuditStore {
  private static final String COLUMNS = "seq, occurred_at, type, actor, reason, subject, cafe_id, details, dedupe_key, prev_hash, hash";

  private final Database db;

  public JdbcAuditStore(Database db) {
    this.db = db;
  }

  @Override
  public Appended append(String dedupeKey, Function<Head, AuditRecord> seal) {
    return db.inTransaction(c -> append(c, dedupeKey, seal));
  }

  @Override
  public List<Appended> appendAll(List<Pending> rows) {
    return db.inTransaction(c -> appendAll(c, rows));
  }

  /** {@link AuditStore#append} on {@code c}, in its transaction; the caller commits. */
  static Appended append(Connection c, String dedupeKey, Function<Head, AuditRecord> seal) throws SQLException {
    return appendAll(c, List.of(new Pending(dedupeKey, seal))).get(0);
  }

  /**
   * {@link AuditStore#appendAll} on {@code c}: the head locked and moved once, the dedupe keys
   * looked up in one query, the new rows inserted as one batch.
   */
  private static List<Appended> appendAll(Connection c, List<Pending> rows) throws SQLException {
    Head head = head(c, true);
    Map<String, AuditRecord> existing = byDedupeKeys(c, rows.stream().map(Pending::dedupeKey).filter(Objects::nonNull)
        .distinct().toList());
    List<Appended> appended = new ArrayList<>(rows.size());
    List<AuditRecord> inserts = new ArrayList<>();
    for (Pending row : rows) {
      AuditRecord earlier = row.dedupeKey() == null ? null : existing.get(row.dedupeKey());
      if (earlier != null) {
        appended.add(new Appended(earlier, false));
        continue;
      }
      AuditRecord record = row.seal().apply(head);
      if (record.seq() != head.seq() + 1 || !record.prevHash().equals(head.hash())
          || !Objects.equals(record.dedupeKey(), row.dedupeKey())) {
        throw new IllegalStateException("A sealed audit row must follow the head (seq " + head.seq() + ") and keep its dedupe key");
      }
      inserts.add(record);
      if (row.dedupeKey() != null) {
        existing.put(row.dedupeKey(), record);
      }
      head = new Head(record.seq(), record.hash());
      appended.add(new Appended(record, true));
    }
    if (!inserts.isEmpty()) {
      try (PreparedStatement s = c.prepareStatement("INSERT INTO audit_log (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?)")) {
        for (AuditRecord r : inserts) {
          bindRow(s, r);
          s.addBatch();
        }
        s.executeBatch();
      }
      moveHead(c, head.seq(), head.hash());
    }
    return appended;
  }

  private static Map<String, AuditRecord> byDedupeKeys(Connection c, List<String> keys) throws SQLException {
    Map<String, AuditRecord> found = new HashMap<>();
    if (keys.isEmpty()) {
      return found;
    }
    try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM audit_log WHERE dedupe_key = ANY(?)")) {
      s.setArray(1, c.createArrayOf("VARCHAR", keys.toArray()));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          AuditRecord r = record(rs);
          found.put(r.dedupeKey(), r);
        }
      }
    }
    return found;
  }

  private static void moveHead(Connection c, long seq, String hash) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("UPDATE audit_chain_head SET last_seq = ?, last_hash = ? WHERE id = 1")) {
      s.setLong(1, seq);
      s.setString(2, hash);
      s.executeUpdate();
    }
  }

  @Override
  public List<AuditRecord> list(AuditFilter filter, long afterSeq, int limit) {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM audit_log WHERE seq > ?");
    List<Object> args = new ArrayList<>();
    args.add(afterSeq);
    if (filter.type() != null) {
      sql.append(" AND type = ?");
      args.add(filter.type());
    }
    if (filter.subject() != null) {
      sql.append(" AND subject = ?");
      args.add(filter.subject());
    }
    if (filter.cafeId() != null) {
      sql.append(" AND (cafe_id = ? OR cafe_id IS NULL)");
      args.add(filter.cafeId());
    }
    sql.append(" ORDER BY seq LIMIT ?");
    args.add(limit);
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement(sql.toString())) {
        for (int i = 0; i < args.size(); i++) {
          s.setObject(i + 1, args.get(i));
        }
        try (ResultSet rs = s.executeQuery()) {
          List<AuditRecord> records = new ArrayList<>();
          while (rs.next()) {
            records.add(record(rs));
          }
          return records;
        }
      }
    });
  }

  @Override
  public Head head() {
    return db.read(c -> head(c, false));
  }

  private static Head head(Connection c, boolean lock) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT last_seq, last_hash FROM audit_chain_head WHERE id = 1"
        + (lock ? " FOR UPDATE" : "")); ResultSet rs = s.executeQuery()) {
      if (!rs.next()) {
        throw new IllegalStateException("The audit chain head row is missing (migration V006 inserts it)");
      }
      return new Head(rs.getLong(1), rs.getString(2));
    }
  }

  private static void bindRow(PreparedStatement s, AuditRecord r) throws SQLException {
    s.setLong(1, r.seq());
    Sql.setInstant(s, 2, r.occurredAt());
    s.setString(3, r.type());
    s.setString(4, r.actor());
    s.setString(5, r.reason());
    s.setString(6, r.subject());
    s.setString(7, r.cafeId());
    s.setString(8, r.details());
    s.setString(9, r.dedupeKey());
    s.setString(10, r.prevHash());
    s.setString(11, r.hash());
  }

  private static AuditRecord record(ResultSet rs) throws SQLException {
    return new AuditRecord(rs.getLong("seq"), Sql.getInstant(rs, "occurred_at"), rs.getString("type"), rs.getString("actor"),
        rs.getString("reason"), rs.getString("subject"), rs.getString("cafe_id"), rs.getString("details"),
        rs.getString("dedupe_key"), rs.getString("prev_hash"), rs.getString("hash"));
  }
}
