package io.tabletap.server.domain;

import java.util.List;
import java.util.UUID;

/**
 * What a till asks for. Carries no prices: those come from the menu, never from the client.
 * Fields may be null here; {@link OrderPricing} says which are missing.
 */
public record OrderRequest(UUID id, OrderType type, String table, List<LineRequest> lines) {

  public record LineRequest(String itemId, Integer quantity, List<String> options, String note) {}
}
