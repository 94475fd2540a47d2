package io.tabletap.server.store;

import io.tabletap.server.domain.Menu;
import io.tabletap.server.domain.Menu.MenuCategory;
import io.tabletap.server.domain.Menu.MenuItem;
import io.tabletap.server.domain.Menu.ModifierGroup;
import io.tabletap.server.domain.Menu.ModifierOption;
import io.tabletap.server.domain.Money;
import io.tabletap.server.menu.MenuStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

public final class JdbcMenuStore implements MenuStore {
  private final Database db;

  public JdbcMenuStore(Database db) {
    this.db = db;
  }

  @Override
  public Menu menu(String cafeId) {
    return db.read(c -> {
      Currency currency = currencyOf(c, cafeId);
      if (currency == null) {
        return new Menu(cafeId, List.of(), List.of());
      }
      Map<String, List<ModifierOption>> options = new LinkedHashMap<>();
      try (ResultSet rs = query(c, "SELECT * FROM modifier_options WHERE cafe_id = ? ORDER BY group_id, position", cafeId)) {
        while (rs.next()) {
          options.computeIfAbsent(rs.getString("group_id"), k -> new ArrayList<>()).add(new ModifierOption(
              rs.getString("id"), rs.getString("name"), new Money(rs.getLong("price_delta"), currency), rs.getBoolean("available")));
        }
      }
      List<ModifierGroup> groups = new ArrayList<>();
      try (ResultSet rs = query(c, "SELECT * FROM modifier_groups WHERE cafe_id = ? ORDER BY position", cafeId)) {
        while (rs.next()) {
          String id = rs.getString("id");
          groups.add(new ModifierGroup(id, rs.getString("name"), rs.getInt("min_choices"), rs.getInt("max_choices"),
              options.getOrDefault(id, List.of())));
        }
      }
      Map<String, List<String>> itemGroups = new LinkedHashMap<>();
      try (ResultSet rs = query(c, "SELECT * FROM menu_item_modifier_groups WHERE cafe_id = ? ORDER BY item_id, position", cafeId)) {
        while (rs.next()) {
          itemGroups.computeIfAbsent(rs.getString("item_id"), k -> new ArrayList<>()).add(rs.getString("group_id"));
        }
      }
      Map<String, List<MenuItem>> items = new LinkedHashMap<>();
      try (ResultSet rs = query(c, "SELECT * FROM menu_items WHERE cafe_id = ? ORDER BY category_id, position", cafeId)) {
        while (rs.next()) {
          String id = rs.getString("id");
          items.computeIfAbsent(rs.getString("category_id"), k -> new ArrayList<>()).add(new MenuItem(id,
              rs.getString("category_id"), rs.getString("name"), new Money(rs.getLong("price"), currency),
              rs.getBoolean("available"), itemGroups.getOrDefault(id, List.of())));
        }
      }
      List<MenuCategory> categories = new ArrayList<>();
      try (ResultSet rs = query(c, "SELECT * FROM menu_categories WHERE cafe_id = ? ORDER BY position", cafeId)) {
        while (rs.next()) {
          String id = rs.getString("id");
          categories.add(new MenuCategory(id, rs.getString("name"), rs.getInt("position"), items.getOrDefault(id, List.of())));
        }
      }
      return new Menu(cafeId, categories, groups);
    });
  }

  @Override
  public void replace(Menu menu) {
    String cafe = menu.cafeId();
    db.inTransaction(c -> {
      for (String table : List.of("menu_item_modifier_groups", "menu_items", "modifier_options", "modifier_groups", "menu_categories")) {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM " + table + " WHERE cafe_id = ?")) {
          s.setString(1, cafe);
          s.executeUpdate();
        }
      }
      int groupPos = 0;
      for (ModifierGroup g : menu.modifierGroups()) {
        update(c, "INSERT INTO modifier_groups VALUES (?,?,?,?,?,?)", cafe, g.id(), g.name(), g.minChoices(), g.maxChoices(), groupPos++);
        int optionPos = 0;
        for (ModifierOption o : g.options()) {
          update(c, "INSERT INTO modifier_options VALUES (?,?,?,?,?,?,?)",
              cafe, g.id(), o.id(), o.name(), o.priceDelta().minorUnits(), o.available(), optionPos++);
        }
      }
      for (MenuCategory category : menu.categories()) {
        update(c, "INSERT INTO menu_categories VALUES (?,?,?,?)", cafe, category.id(), category.name(), category.position());
        int itemPos = 0;
        for (MenuItem item : category.items()) {
          update(c, "INSERT INTO menu_items VALUES (?,?,?,?,?,?,?)",
              cafe, item.id(), category.id(), item.name(), item.price().minorUnits(), item.available(), itemPos++);
          int pos = 0;
          for (String groupId : item.modifierGroupIds()) {
            update(c, "INSERT INTO menu_item_modifier_groups VALUES (?,?,?,?)", cafe, item.id(), groupId, pos++);
          }
        }
      }
      return null;
    });
  }

  private static Currency currencyOf(Connection c, String cafeId) throws SQLException {
    try (ResultSet rs = query(c, "SELECT currency FROM cafes WHERE id = ?", cafeId)) {
      return rs.next() ? Currency.getInstance(rs.getString(1)) : null;
    }
  }

  /** The result set closes its statement with it (closeOnCompletion). */
  private static ResultSet query(Connection c, String sql, String cafeId) throws SQLException {
    PreparedStatement s = c.prepareStatement(sql);
    s.setString(1, cafeId);
    s.closeOnCompletion();
    return s.executeQuery();
  }

  private static void update(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        s.setObject(i + 1, args[i]);
      }
      s.executeUpdate();
    }
  }
}
