package io.tabletap.server.http;

import io.tabletap.server.domain.Menu;
import io.tabletap.server.domain.Order;
import io.tabletap.server.domain.OrderLine;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/** The JSON shapes the API answers with. Money is an integer in minor units beside a currency. */
final class Views {
  private Views() {}

  record OptionView(String id, String groupId, String name, long priceDelta) {}

  record LineView(String itemId, String name, int quantity, List<OptionView> options, String note, long unitPrice, long lineTotal) {}

  record OrderView(UUID id, String cafeId, int orderNumber, LocalDate businessDate, String status, String type, String table,
      List<LineView> lines, long subtotal, long tax, long total, String currency, Instant createdAt, Instant updatedAt) {}

  static OrderView order(Order o) {
    return new OrderView(o.id(), o.cafeId(), o.orderNumber(), o.businessDate(), o.status().name(), o.type().name(), o.table(),
        o.lines().stream().map(Views::line).toList(), o.subtotal().minorUnits(), o.tax().minorUnits(), o.total().minorUnits(),
        o.total().currency().getCurrencyCode(), o.createdAt(), o.updatedAt());
  }

  private static LineView line(OrderLine l) {
    return new LineView(l.itemId(), l.itemName(), l.quantity(),
        l.options().stream().map(c -> new OptionView(c.optionId(), c.groupId(), c.name(), c.priceDelta().minorUnits())).toList(),
        l.note(), l.unitPrice().minorUnits(), l.lineTotal().minorUnits());
  }

  record MenuOptionView(String id, String name, long priceDelta, boolean available) {}

  record MenuGroupView(String id, String name, int minChoices, int maxChoices, List<MenuOptionView> options) {}

  record MenuItemView(String id, String name, long price, boolean available, List<String> modifierGroups) {}

  record MenuCategoryView(String id, String name, List<MenuItemView> items) {}

  record MenuView(String cafeId, String currency, String taxMode, String taxRate, List<MenuCategoryView> categories,
      List<MenuGroupView> modifierGroups) {}

  static MenuView menu(Menu m, io.tabletap.server.domain.Cafe cafe) {
    return new MenuView(m.cafeId(), cafe.currency().getCurrencyCode(), cafe.taxPolicy().mode().name(),
        cafe.taxPolicy().rate().asPercent(),
        m.categories().stream().map(c -> new MenuCategoryView(c.id(), c.name(), c.items().stream()
            .map(i -> new MenuItemView(i.id(), i.name(), i.price().minorUnits(), i.available(), i.modifierGroupIds())).toList()))
            .toList(),
        m.modifierGroups().stream().map(g -> new MenuGroupView(g.id(), g.name(), g.minChoices(), g.maxChoices(), g.options().stream()
            .map(o -> new MenuOptionView(o.id(), o.name(), o.priceDelta().minorUnits(), o.available())).toList())).toList());
  }
}
