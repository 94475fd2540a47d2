package io.tabletap.server.domain;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A cafe's menu: categories of items, and the modifier groups items refer to. Immutable. */
public record Menu(String cafeId, List<MenuCategory> categories, List<ModifierGroup> modifierGroups) {

  public Menu {
    categories = List.copyOf(categories);
    modifierGroups = List.copyOf(modifierGroups);
  }

  public Optional<MenuItem> item(String itemId) {
    return categories.stream().flatMap(c -> c.items().stream()).filter(i -> i.id().equals(itemId)).findFirst();
  }

  public Optional<ModifierGroup> group(String groupId) {
    return modifierGroups.stream().filter(g -> g.id().equals(groupId)).findFirst();
  }

  /** The modifier groups an item offers, in the item's order. */
  public List<ModifierGroup> groupsOf(MenuItem item) {
    Map<String, ModifierGroup> byId = new LinkedHashMap<>();
    modifierGroups.forEach(g -> byId.put(g.id(), g));
    return item.modifierGroupIds().stream().map(byId::get).filter(java.util.Objects::nonNull).toList();
  }

  public record MenuCategory(String id, String name, int position, List<MenuItem> items) {
    public MenuCategory {
      items = List.copyOf(items);
    }
  }

  public record MenuItem(
      String id, String categoryId, String name, Money price, boolean available, List<String> modifierGroupIds) {
    public MenuItem {
      modifierGroupIds = List.copyOf(modifierGroupIds);
    }
  }

  /**
   * A choice the customer makes about an item, such as size or milk.
   *
   * @param minChoices 0 makes the group optional; 1 or more makes it required
   * @param maxChoices how many options may be picked at most
   */
  public record ModifierGroup(String id, String name, int minChoices, int maxChoices, List<ModifierOption> options) {
    public ModifierGroup {
      options = List.copyOf(options);
      if (minChoices < 0 || maxChoices < 1 || minChoices > maxChoices) {
        throw new IllegalArgumentException("Bad choice bounds for group " + id + ": " + minChoices + ".." + maxChoices);
      }
    }

    public Optional<ModifierOption> option(String optionId) {
      return options.stream().filter(o -> o.id().equals(optionId)).findFirst();
    }
  }

  public record ModifierOption(String id, String name, Money priceDelta, boolean available) {}
}
