package io.tabletap.server.http;

import io.tabletap.server.domain.Cafe;
import io.tabletap.server.domain.Menu;
import io.tabletap.server.menu.DemoCafe;
import io.tabletap.server.store.Database;
import io.tabletap.server.store.JdbcCafeStore;
import io.tabletap.server.store.JdbcMenuStore;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A second handle on a running server's H2 file, for what the API cannot do or show: adding a
 * cafe, and reading every order table to prove that a refused request wrote nothing.
 */
final class DatabaseProbe implements AutoCloseable {
  /** Every row an order request or a transition could write, in a stable order. */
  private static final Map<String, String> ORDER_TABLES = Map.of(
      "orders", "SELECT id, cafe_id, order_number, status, version, updated_at FROM orders ORDER BY id",
      "order_lines", "SELECT order_id, line_no, item_id, quantity FROM order_lines ORDER BY order_id, line_no",
      "order_line_options", "SELECT order_id, line_no, option_no, option_id FROM order_line_options ORDER BY order_id, line_no, option_no",
      "order_status_history", "SELECT order_id, version, to_status FROM order_status_history ORDER BY order_id, version",
      "idempotency_keys", "SELECT cafe_id, idem_key, order_id FROM idempotency_keys ORDER BY cafe_id, idem_key",
      "order_number_counters", "SELECT cafe_id, business_date, last_number FROM order_number_counters ORDER BY cafe_id, business_date");

  private final Database db;

  private DatabaseProbe(Database db) {
    this.db = db;
  }

  /** Opens the database of a server that is running on {@code dataDir}. */
  static DatabaseProbe open(Path dataDir) {
    return new DatabaseProbe(Database.open(dataDir, 2));
  }

  /** The content of every order table; equal snapshots mean nothing was written in between. */
  Map<String, List<String>> orderTables() {
    Map<String, List<String>> snapshot = new LinkedHashMap<>();
    ORDER_TABLES.keySet().stream().sorted().forEach(table -> snapshot.put(table, rows(ORDER_TABLES.get(table))));
    return snapshot;
  }

  long orderCount() {
    return rows("SELECT id FROM orders").size();
  }

  /** A new cafe with the demo cafe's settings and menu, so tests can tell cafes apart. */
  void addCafeLikeDemo(String cafeId) {
    Cafe demo = DemoCafe.cafe();
    Menu menu = DemoCafe.menu();
    addCafe(new Cafe(cafeId, "Cafe " + cafeId, demo.currency(), demo.taxPolicy(), demo.zone(), demo.businessDayStart()),
        new Menu(cafeId, menu.categories(), menu.modifierGroups()));
  }

  void addCafe(Cafe cafe, Menu menu) {
    new JdbcCafeStore(db).insert(cafe);
    new JdbcMenuStore(db).replace(menu);
  }

  private List<String> rows(String sql) {
    return db.read(c -> {
      List<String> rows = new ArrayList<>();
      try (PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
        int columns = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          StringBuilder row = new StringBuilder();
          for (int i = 1; i <= columns; i++) {
            row.append(i == 1 ? "" : " | ").append(rs.getString(i));
          }
          rows.add(row.toString());
        }
      }
      return rows;
    });
  }

  @Override
  public void close() {
    db.close();
  }
}
