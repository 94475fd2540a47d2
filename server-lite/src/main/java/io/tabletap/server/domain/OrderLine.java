package io.tabletap.server.domain;

import java.util.List;

/**
 * One line of an order with the prices the menu had when the order was taken, so that a later
 * menu change never rewrites a receipt.
 *
 * @param unitPrice the item's price plus its options' deltas
 * @param lineTotal {@code unitPrice × quantity}
 */
public record OrderLine(
    String itemId, String itemName, int quantity, List<ChosenOption> options, String note, Money unitPrice, Money lineTotal) {

  public static final int MIN_QUANTITY = 1;
  public static final int MAX_QUANTITY = 99;
  public static final int MAX_NOTE_LENGTH = 200;

  public OrderLine {
    options = List.copyOf(options);
    if (quantity < MIN_QUANTITY || quantity > MAX_QUANTITY) {
      throw new IllegalArgumentException("quantity out of range: " + quantity);
    }
    if (note != null && note.length() > MAX_NOTE_LENGTH) {
      throw new IllegalArgumentException("note longer than " + MAX_NOTE_LENGTH);
    }
  }

  public record ChosenOption(String groupId, String optionId, String name, Money priceDelta) {}
}
