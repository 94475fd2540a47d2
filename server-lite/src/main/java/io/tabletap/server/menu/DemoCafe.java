package io.tabletap.server.menu;

import io.tabletap.server.domain.Cafe;
import io.tabletap.server.domain.Menu;
import io.tabletap.server.domain.Menu.MenuCategory;
import io.tabletap.server.domain.Menu.MenuItem;
import io.tabletap.server.domain.Menu.ModifierGroup;
import io.tabletap.server.domain.Menu.ModifierOption;
import io.tabletap.server.domain.Money;
import io.tabletap.server.domain.TaxPolicy;
import io.tabletap.server.domain.TaxPolicy.TaxMode;
import io.tabletap.server.domain.TaxRate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Currency;
import java.util.List;

/**
 * The cafe a fresh install starts with, so that the product can be tried (and tested) at once:
 * "Demo Cafe", AUD, 10% GST included, cash rounded to 5 cents, about twenty items with sizes, milks and extras.
 */
public final class DemoCafe {
  public static final String ID = "demo";
  private static final Currency AUD = Currency.getInstance("AUD");

  private DemoCafe() {}

  public static Cafe cafe() {
    return new Cafe(ID, "Demo Cafe", AUD, new TaxPolicy(TaxMode.INCLUSIVE, new TaxRate(1000)),
        ZoneId.of("Australia/Sydney"), LocalTime.of(4, 0), 5);
  }

  public static Menu menu() {
    ModifierGroup size = group("size", "Size", 1, 1,
        option("size-small", "Small", 0), option("size-regular", "Regular", 50), option("size-large", "Large", 100));
    ModifierGroup milk = group("milk", "Milk", 0, 1,
        option("milk-full-cream", "Full cream", 0), option("milk-skim", "Skim", 0), option("milk-oat", "Oat", 70),
        option("milk-almond", "Almond", 70), option("milk-soy", "Soy", 60));
    ModifierGroup extras = group("coffee-extras", "Extras", 0, 3,
        option("extra-shot", "Extra shot", 60), option("decaf", "Decaf", 0), option("vanilla-syrup", "Vanilla syrup", 50),
        option("caramel-syrup", "Caramel syrup", 50));
    ModifierGroup toast = group("toast-extras", "Add to toast", 0, 3,
        option("add-avocado", "Avocado", 350), option("add-egg", "Poached egg", 300), option("add-bacon", "Bacon", 400),
        option("gluten-free", "Gluten-free bread", 150));
    ModifierGroup heat = group("warm", "Warm it?", 0, 1, option("warmed", "Warmed", 0));

    List<String> coffee = List.of("size", "milk", "coffee-extras");
    List<String> blackCoffee = List.of("size", "coffee-extras");
    MenuCategory coffees = new MenuCategory("coffee", "Coffee", 1, List.of(
        item("flat-white", "coffee", "Flat white", 450, coffee),
        item("latte", "coffee", "Latte", 450, coffee),
        item("cappuccino", "coffee", "Cappuccino", 450, coffee),
        item("long-black", "coffee", "Long black", 400, blackCoffee),
        item("espresso", "coffee", "Espresso", 350, List.of("coffee-extras")),
        item("mocha", "coffee", "Mocha", 500, coffee),
        item("chai-latte", "coffee", "Chai latte", 480, List.of("size", "milk"))));
    MenuCategory coldDrinks = new MenuCategory("cold-drinks", "Cold drinks", 2, List.of(
        item("iced-latte", "cold-drinks", "Iced latte", 550, List.of("milk", "coffee-extras")),
        item("orange-juice", "cold-drinks", "Fresh orange juice", 600, List.of()),
        item("sparkling-water", "cold-drinks", "Sparkling water", 400, List.of()),
        item("lemonade", "cold-drinks", "House lemonade", 550, List.of())));
    MenuCategory food = new MenuCategory("food", "Food", 3, List.of(
        item("avocado-toast", "food", "Avocado toast", 1650, List.of("toast-extras")),
        item("banana-bread", "food", "Banana bread", 650, List.of("warm")),
        item("ham-cheese-croissant", "food", "Ham & cheese croissant", 950, List.of("warm")),
        item("big-breakfast", "food", "Big breakfast", 2400, List.of("toast-extras")),
        item("granola-bowl", "food", "Granola bowl", 1400, List.of()),
        new MenuItem("eggs-benedict", "food", "Eggs benedict", Money.of(2100, "AUD"), false, List.of("toast-extras"))));
    MenuCategory sweets = new MenuCategory("sweets", "Sweets", 4, List.of(
        item("almond-croissant", "sweets", "Almond croissant", 700, List.of("warm")),
        item("brownie", "sweets", "Chocolate brownie", 600, List.of("warm")),
        item("carrot-cake", "sweets", "Carrot cake", 750, List.of()),
        item("choc-chip-cookie", "sweets", "Choc-chip cookie", 399, List.of())));
    return new Menu(ID, List.of(coffees, coldDrinks, food, sweets), List.of(size, milk, extras, toast, heat));
  }

  private static MenuItem item(String id, String category, String name, long cents, List<String> groups) {
    return new MenuItem(id, category, name, Money.of(cents, "AUD"), true, groups);
  }

  private static ModifierGroup group(String id, String name, int min, int max, ModifierOption... options) {
    return new ModifierGroup(id, name, min, max, List.of(options));
  }

  private static ModifierOption option(String id, String name, long cents) {
    return new ModifierOption(id, name, Money.of(cents, "AUD"), true);
  }
}
