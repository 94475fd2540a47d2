package io.tabletap.server.store;

import io.tabletap.server.domain.Money;
import io.tabletap.server.domain.Order;
import io.tabletap.server.domain.OrderLine;
import io.tabletap.server.domain.OrderLine.ChosenOption;
import io.tabletap.server.domain.OrderStatus;
import io.tabletap.server.domain.OrderType;
import io.tabletap.server.order.OrderStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/** Orders with their lines, chosen options, status history and idempotency keys. */
public final class JdbcOrderStore implements OrderStore {
  private final Database db;

  public JdbcOrderStore(Database db) {
    this.db = db;
  }

  /** Thrown inside a transaction to roll it back when a key turned out to be taken already. */
  private static final class Taken extends RuntimeException {
    final boolean byIdempotencyKey;

    Taken(boolean byIdempotencyKey) {
      super(null, null, false, false);
      this.byIdempotencyKey = byIdempotencyKey;
    }
  }

  @Override
  public CreateResult create(String cafeId, LocalDate businessDate, IntFunction<Order> build, String requestHash, String idempotencyKey) {
    try {
      return db.inTransaction(c -> {
        if (idempotencyKey != null && idempotencyEntry(c, cafeId, idempotencyKey).isPresent()) {
          throw new Taken(true);
        }
        Order order = build.apply(nextOrderNumber(c, cafeId, businessDate));
        try {
          insertOrder(c, order, requestHash);
        } catch (SQLException e) {
          // H2 names the primary key PRIMARY_KEY_nn and says "primary key" in lower case; the only
          // other unique constraint here is ours, on the order number, which the counter protects.
          if (Sql.isDuplicateKey(e) && !e.getMessage().toUpperCase(Locale.ROOT).contains("UQ_ORDERS_NUMBER")) {
            throw new Taken(false);
          }
          throw e;
        }
        if (idempotencyKey != null) {
          try (PreparedStatement s = c.prepareStatement(
              "INSERT INTO idempotency_keys (cafe_id, idem_key, request_hash, order_id, created_at) VALUES (?,?,?,?,?)")) {
            s.setString(1, cafeId);
            s.setString(2, idempotencyKey);
            s.setString(3, requestHash);
            s.setObject(4, order.id());
            Sql.setInstant(s, 5, order.createdAt());
            s.executeUpdate();
          } catch (SQLException e) {
            if (Sql.isDuplicateKey(e)) {
              throw new Taken(true);
            }
            throw e;
          }
        }
        return new Created(order);
      });
    } catch (Taken taken) {
      Order probe = build.apply(0);
      Optional<Stored> existing = taken.byIdempotencyKey ? findByIdempotencyKey(cafeId, idempotencyKey) : find(probe.id());
      Stored stored = existing.orElseThrow(() -> new IllegalStateException("Conflicting order vanished"));
      return new AlreadyExists(stored.order(), stored.requestHash(), taken.byIdempotencyKey);
    }
  }

  /** Bumps the cafe's counter for the day; the row lock serialises concurrent orders. */
  private static int nextOrderNumber(Connection c, String cafeId, LocalDate date) throws SQLException {
    for (int attempt = 0; attempt < 3; attempt++) {
      try (PreparedStatement s = c.prepareStatement(
          "UPDATE order_number_counters SET last_number = last_number + 1 WHERE cafe_id = ? AND business_date = ?")) {
        s.setString(1, cafeId);
        s.setObject(2, date);
        if (s.executeUpdate() == 1) {
          try (PreparedStatement q = c.prepareStatement(
              "SELECT last_number FROM order_number_counters WHERE cafe_id = ? AND business_date = ?")) {
            q.setString(1, cafeId);
            q.setObject(2, date);
            try (ResultSet rs = q.executeQuery()) {
              rs.next();
              return rs.getInt(1);
            }
          }
        }
      }
      try (PreparedStatement s = c.prepareStatement(
          "INSERT INTO order_number_counters (cafe_id, business_date, last_number) VALUES (?,?,1)")) {
        s.setString(1, cafeId);
        s.setObject(2, date);
        s.executeUpdate();
        return 1;
      } catch (SQLException e) {
        if (!Sql.isDuplicateKey(e)) {
          throw e;
        }
        // Another order took number 1 at the same moment: bump its row instead.
      }
    }
    throw new SQLException("Could not allocate an order number for " + cafeId + " on " + date);
  }

  private static void insertOrder(Connection c, Order order, String requestHash) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("INSERT INTO orders (id, cafe_id, order_number, business_date, order_type,"
        + " table_name, status, subtotal, tax, total, currency, request_hash, created_at, updated_at, version)"
        + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,1)")) {
      s.setObject(1, order.id());
      s.setString(2, order.cafeId());
      s.setInt(3, order.orderNumber());
      s.setObject(4, order.businessDate());
      s.setString(5, order.type().name());
      s.setString(6, order.table());
      s.setString(7, order.status().name());
      s.setLong(8, order.subtotal().minorUnits());
      s.setLong(9, order.tax().minorUnits());
      s.setLong(10, order.total().minorUnits());
      s.setString(11, order.total().currency().getCurrencyCode());
      s.setString(12, requestHash);
      Sql.setInstant(s, 13, order.createdAt());
      Sql.setInstant(s, 14, order.updatedAt());
      s.executeUpdate();
    }
    try (PreparedStatement line = c.prepareStatement("INSERT INTO order_lines (order_id, line_no, item_id, item_name,"
            + " quantity, note, unit_price, line_total) VALUES (?,?,?,?,?,?,?,?)");
        PreparedStatement option = c.prepareStatement("INSERT INTO order_line_options (order_id, line_no, option_no,"
            + " group_id, option_id, name, price_delta) VALUES (?,?,?,?,?,?,?)")) {
      for (int i = 0; i < order.lines().size(); i++) {
        OrderLine l = order.lines().get(i);
        line.setObject(1, order.id());
        line.setInt(2, i);
        line.setString(3, l.itemId());
        line.setString(4, l.itemName());
        line.setInt(5, l.quantity());
        line.setString(6, l.note());
        line.setLong(7, l.unitPrice().minorUnits());
        line.setLong(8, l.lineTotal().minorUnits());
        line.addBatch();
        for (int j = 0; j < l.options().size(); j++) {
          ChosenOption o = l.options().get(j);
          option.setObject(1, order.id());
          option.setInt(2, i);
          option.setInt(3, j);
          option.setString(4, o.groupId());
          option.setString(5, o.optionId());
          option.setString(6, o.name());
          option.setLong(7, o.priceDelta().minorUnits());
          option.addBatch();
        }
      }
      line.executeBatch();
      option.executeBatch();
    }
    insertHistory(c, order.id(), 1, null, order.status(), order.createdAt(), "system");
  }

  private static void insertHistory(Connection c, UUID orderId, int version, OrderStatus from, OrderStatus to, Instant at, String actor)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement("INSERT INTO order_status_history (order_id, version, from_status,"
        + " to_status, changed_at, actor) VALUES (?,?,?,?,?,?)")) {
      s.setObject(1, orderId);
      s.setInt(2, version);
      s.setString(3, from == null ? null : from.name());
      s.setString(4, to.name());
      Sql.setInstant(s, 5, at);
      s.setString(6, actor);
      s.executeUpdate();
    }
  }

  private static Optional<String[]> idempotencyEntry(Connection c, String cafeId, String key) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "SELECT request_hash, order_id FROM idempotency_keys WHERE cafe_id = ? AND idem_key = ?")) {
      s.setString(1, cafeId);
      s.setString(2, key);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(new String[] {rs.getString(1), rs.getString(2)}) : Optional.empty();
      }
    }
  }

  @Override
  public Optional<Stored> find(UUID orderId) {
    return db.read(c -> load(c, orderId, false));
  }

  @Override
  public Optional<Stored> findByIdempotencyKey(String cafeId, String idempotencyKey) {
    return db.read(c -> {
      Optional<String[]> entry = idempotencyEntry(c, cafeId, idempotencyKey);
      if (entry.isEmpty()) {
        return Optional.empty();
      }
      return load(c, UUID.fromString(entry.get()[1]), false).map(s -> new Stored(s.order(), entry.get()[0]));
    });
  }

  @Override
  public List<Order> list(String cafeId, Set<OrderStatus> statuses, Instant updatedSince, int limit) {
    StringBuilder sql = new StringBuilder("SELECT id FROM orders WHERE cafe_id = ?");
    if (!statuses.isEmpty()) {
      sql.append(" AND status IN (").append(String.join(",", Collections.nCopies(statuses.size(), "?"))).append(')');
    }
    if (updatedSince != null) {
      sql.append(" AND updated_at >= ?");
    }
    sql.append(" ORDER BY updated_at, id LIMIT ?");
    return db.read(c -> {
      List<UUID> ids = new ArrayList<>();
      try (PreparedStatement s = c.prepareStatement(sql.toString())) {
        int i = 1;
        s.setString(i++, cafeId);
        for (String status : statuses.stream().map(Enum::name).sorted().collect(Collectors.toList())) {
          s.setString(i++, status);
        }
        if (updatedSince != null) {
          Sql.setInstant(s, i++, updatedSince);
        }
        s.setInt(i, limit);
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            ids.add(rs.getObject(1, UUID.class));
          }
        }
      }
      List<Order> orders = new ArrayList<>(ids.size());
      for (UUID id : ids) {
        load(c, id, false).ifPresent(stored -> orders.add(stored.order()));
      }
      return orders;
    });
  }

  @Override
  public Optional<Change> update(UUID orderId, UnaryOperator<Order> change, String actor) {
    return db.inTransaction(c -> {
      Optional<Stored> loaded = load(c, orderId, true);
      if (loaded.isEmpty()) {
        return Optional.empty();
      }
      Order before = loaded.get().order();
      Order after = change.apply(before);
      writeStatus(c, before, after, actor);
      return Optional.of(new Change(before, after));
    });
  }

  /** Writes an order's new status (if it changed) with a history row; the caller holds the row lock. */
  static void writeStatus(Connection c, Order before, Order after, String actor) throws SQLException {
    if (after.status() == before.status() && after.updatedAt().equals(before.updatedAt())) {
      return;
    }
    int version;
    try (PreparedStatement s = c.prepareStatement("SELECT version FROM orders WHERE id = ?")) {
      s.setObject(1, before.id());
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        version = rs.getInt(1) + 1;
      }
    }
    try (PreparedStatement s = c.prepareStatement("UPDATE orders SET status = ?, updated_at = ?, version = ? WHERE id = ?")) {
      s.setString(1, after.status().name());
      Sql.setInstant(s, 2, after.updatedAt());
      s.setInt(3, version);
      s.setObject(4, before.id());
      s.executeUpdate();
    }
    if (after.status() != before.status()) {
      insertHistory(c, before.id(), version, before.status(), after.status(), after.updatedAt(), actor);
    }
  }

  @Override
  public long count() {
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM orders"); ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }

  /** The order with its lines; {@code lock} takes its row lock until the transaction ends. */
  static Optional<Stored> load(Connection c, UUID id, boolean lock) throws SQLException {
    Order order;
    String hash;
    Currency currency;
    List<OrderLine> lines = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("SELECT * FROM orders WHERE id = ?" + (lock ? " FOR UPDATE" : ""))) {
      s.setObject(1, id);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        currency = Currency.getInstance(rs.getString("currency"));
        List<List<ChosenOption>> options = loadOptions(c, id, currency);
        try (PreparedStatement ls = c.prepareStatement("SELECT * FROM order_lines WHERE order_id = ? ORDER BY line_no")) {
          ls.setObject(1, id);
          try (ResultSet l = ls.executeQuery()) {
            while (l.next()) {
              int lineNo = l.getInt("line_no");
              lines.add(new OrderLine(l.getString("item_id"), l.getString("item_name"), l.getInt("quantity"),
                  lineNo < options.size() ? options.get(lineNo) : List.of(), l.getString("note"),
                  new Money(l.getLong("unit_price"), currency), new Money(l.getLong("line_total"), currency)));
            }
          }
        }
        hash = rs.getString("request_hash");
        order = new Order(id, rs.getString("cafe_id"), rs.getInt("order_number"), rs.getObject("business_date", LocalDate.class),
            OrderType.valueOf(rs.getString("order_type")), rs.getString("table_name"), lines,
            new Money(rs.getLong("subtotal"), currency), new Money(rs.getLong("tax"), currency),
            new Money(rs.getLong("total"), currency), OrderStatus.valueOf(rs.getString("status")),
            Sql.getInstant(rs, "created_at"), Sql.getInstant(rs, "updated_at"));
      }
    }
    return Optional.of(new Stored(order, hash));
  }

  /** Chosen options per line number, in the order they were chosen. */
  private static List<List<ChosenOption>> loadOptions(Connection c, UUID id, Currency currency) throws SQLException {
    List<List<ChosenOption>> byLine = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(
        "SELECT * FROM order_line_options WHERE order_id = ? ORDER BY line_no, option_no")) {
      s.setObject(1, id);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          int lineNo = rs.getInt("line_no");
          while (byLine.size() <= lineNo) {
            byLine.add(new ArrayList<>());
          }
          byLine.get(lineNo).add(new ChosenOption(rs.getString("group_id"), rs.getString("option_id"), rs.getString("name"),
              new Money(rs.getLong("price_delta"), currency)));
        }
      }
    }
    return byLine;
  }
}
