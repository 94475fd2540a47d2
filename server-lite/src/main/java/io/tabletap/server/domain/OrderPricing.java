package io.tabletap.server.domain;

import io.tabletap.server.domain.Menu.MenuItem;
import io.tabletap.server.domain.Menu.ModifierGroup;
import io.tabletap.server.domain.Menu.ModifierOption;
import io.tabletap.server.domain.OrderLine.ChosenOption;
import io.tabletap.server.domain.OrderRequest.LineRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Checks an {@link OrderRequest} against a cafe's menu and prices it. Collects every problem
 * (unknown or unavailable item, bad quantity, missing required modifier, note too long, …) so a
 * till can show them all at once.
 */
public final class OrderPricing {
  public static final int MAX_LINES = 100;
  public static final int MAX_TABLE_LENGTH = 20;

  private final Cafe cafe;
  private final Menu menu;

  public OrderPricing(Cafe cafe, Menu menu) {
    this.cafe = cafe;
    this.menu = menu;
  }

  /** The priced lines and totals of a valid request. */
  public record Priced(OrderType type, String table, List<OrderLine> lines, TaxPolicy.Totals totals) {}

  /** @throws ValidationException listing every problem with the request */
  public Priced price(OrderRequest request) {
    List<FieldError> errors = new ArrayList<>();
    String table = checkTypeAndTable(request, errors);
    List<OrderLine> lines = new ArrayList<>();
    if (request.lines() == null || request.lines().isEmpty()) {
      errors.add(new FieldError("lines", "lines_required", "An order needs at least one line"));
    } else if (request.lines().size() > MAX_LINES) {
      errors.add(new FieldError("lines", "too_many_lines", "An order has at most " + MAX_LINES + " lines"));
    } else {
      for (int i = 0; i < request.lines().size(); i++) {
        priceLine("lines[" + i + "]", request.lines().get(i), errors).ifPresent(lines::add);
      }
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    Money subtotal = lines.stream().map(OrderLine::lineTotal).reduce(Money.zero(cafe.currency()), Money::plus);
    return new Priced(request.type(), table, lines, cafe.taxPolicy().apply(subtotal));
  }

  private static String checkTypeAndTable(OrderRequest request, List<FieldError> errors) {
    String table = request.table() == null ? null : request.table().strip();
    if (request.type() == null) {
      errors.add(new FieldError("type", "type_required", "Order type must be TAKEAWAY or DINE_IN"));
    } else if (request.type() == OrderType.DINE_IN && (table == null || table.isEmpty())) {
      errors.add(new FieldError("table", "table_required", "A dine-in order needs a table"));
    } else if (request.type() == OrderType.TAKEAWAY && table != null && !table.isEmpty()) {
      errors.add(new FieldError("table", "table_not_allowed", "A takeaway order has no table"));
    }
    if (table != null && table.length() > MAX_TABLE_LENGTH) {
      errors.add(new FieldError("table", "table_too_long", "A table name has at most " + MAX_TABLE_LENGTH + " characters"));
    }
    return table == null || table.isEmpty() ? null : table;
  }

  private Optional<OrderLine> priceLine(String path, LineRequest line, List<FieldError> errors) {
    if (line == null) {
      errors.add(new FieldError(path, "line_required", "A line cannot be empty"));
      return Optional.empty();
    }
    int before = errors.size();
    Optional<MenuItem> item = Optional.empty();
    if (line.itemId() == null || line.itemId().isBlank()) {
      errors.add(new FieldError(path + ".itemId", "item_required", "Each line needs an itemId"));
    } else {
      item = menu.item(line.itemId());
      if (item.isEmpty()) {
        errors.add(new FieldError(path + ".itemId", "unknown_item", "No item '" + line.itemId() + "' on the menu"));
      } else if (!item.get().available()) {
        errors.add(new FieldError(path + ".itemId", "item_unavailable", item.get().name() + " is not available right now"));
      }
    }
    if (line.quantity() == null || line.quantity() < OrderLine.MIN_QUANTITY || line.quantity() > OrderLine.MAX_QUANTITY) {
      errors.add(new FieldError(path + ".quantity", "bad_quantity",
          "Quantity must be " + OrderLine.MIN_QUANTITY + " to " + OrderLine.MAX_QUANTITY));
    }
    if (line.note() != null && line.note().length() > OrderLine.MAX_NOTE_LENGTH) {
      errors.add(new FieldError(path + ".note", "note_too_long",
          "A note has at most " + OrderLine.MAX_NOTE_LENGTH + " characters (this one has " + line.note().length() + ")"));
    }
    List<ChosenOption> chosen = item.isPresent() ? chooseOptions(path, item.get(), line.options(), errors) : List.of();
    if (errors.size() > before) {
      return Optional.empty();
    }
    Money unit = chosen.stream().map(ChosenOption::priceDelta).reduce(item.get().price(), Money::plus);
    String note = line.note() == null || line.note().isBlank() ? null : line.note().strip();
    return Optional.of(new OrderLine(item.get().id(), item.get().name(), line.quantity(), chosen, note, unit, unit.times(line.quantity())));
  }

  private List<ChosenOption> chooseOptions(String path, MenuItem item, List<String> optionIds, List<FieldError> errors) {
    List<String> ids = optionIds == null ? List.of() : optionIds;
    List<ModifierGroup> groups = menu.groupsOf(item);
    List<ChosenOption> chosen = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (String optionId : ids) {
      if (optionId == null || !seen.add(optionId)) {
        errors.add(new FieldError(path + ".options", "duplicate_option", "Option '" + optionId + "' is chosen twice"));
        continue;
      }
      Optional<ModifierGroup> group = groups.stream().filter(g -> g.option(optionId).isPresent()).findFirst();
      if (group.isEmpty()) {
        errors.add(new FieldError(path + ".options", "unknown_option", "'" + optionId + "' is not an option of " + item.name()));
        continue;
      }
      ModifierOption option = group.get().option(optionId).orElseThrow();
      if (!option.available()) {
        errors.add(new FieldError(path + ".options", "option_unavailable", option.name() + " is not available right now"));
        continue;
      }
      chosen.add(new ChosenOption(group.get().id(), option.id(), option.name(), option.priceDelta()));
    }
    for (ModifierGroup group : groups) {
      long count = chosen.stream().filter(c -> c.groupId().equals(group.id())).count();
      if (count < group.minChoices()) {
        errors.add(new FieldError(path + ".options", "missing_required_modifier",
            item.name() + " needs " + (group.minChoices() == 1 ? "a choice" : group.minChoices() + " choices") + " of " + group.name()));
      } else if (count > group.maxChoices()) {
        errors.add(new FieldError(path + ".options", "too_many_options",
            item.name() + " takes at most " + group.maxChoices() + " of " + group.name()));
      }
    }
    return chosen;
  }
}
