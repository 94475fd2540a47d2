package io.tabletap.server.store;

import io.tabletap.server.domain.Cafe;
import io.tabletap.server.domain.Order;
import io.tabletap.server.domain.OrderPricing;
import io.tabletap.server.domain.OrderRequest;
import io.tabletap.server.domain.OrderRequest.LineRequest;
import io.tabletap.server.domain.OrderStatus;
import io.tabletap.server.domain.OrderType;
import io.tabletap.server.menu.DemoCafe;
import io.tabletap.server.order.OrderStore;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * The child process of {@link KillDurabilityTest}: places orders through {@link JdbcOrderStore} on
 * the database in {@code args[0]}, one transaction each (order number, order, line, option,
 * history), and prints how many it has placed after each commit returned. It runs until killed.
 *
 * <p>It goes to the store rather than through {@code OrderService} so that the commits, not the
 * menu reads before them, set the pace: about 1,000 orders a second instead of 250.
 */
public final class PlaceOrdersUntilKilled {
  private PlaceOrdersUntilKilled() {}

  public static void main(String[] args) {
    PrintStream out = System.out;
    Database database = Database.open(Path.of(args[0]), 4);
    new JdbcCafeStore(database).insert(DemoCafe.cafe());
    new JdbcMenuStore(database).replace(DemoCafe.menu());
    Cafe cafe = DemoCafe.cafe();
    OrderPricing.Priced flatWhite = new OrderPricing(cafe, DemoCafe.menu()).price(new OrderRequest(null, OrderType.TAKEAWAY, null,
        List.of(new LineRequest("flat-white", 1, List.of("size-regular"), null))));
    Instant now = Instant.parse("2026-11-25T23:00:00Z");
    LocalDate day = cafe.businessDate(now);
    OrderStore orders = new JdbcOrderStore(database);
    for (long placed = 1; ; placed++) {
      UUID id = UUID.randomUUID();
      OrderStore.CreateResult result = orders.create(cafe.id(), day, number -> new Order(id, cafe.id(), number, day,
          flatWhite.type(), flatWhite.table(), flatWhite.lines(), flatWhite.totals().subtotal(), flatWhite.totals().tax(),
          flatWhite.totals().total(), OrderStatus.CREATED, now, now), "request-" + placed, null);
      if (!(result instanceof OrderStore.Created)) {
        throw new IllegalStateException("Order " + placed + " was not created: " + result);
      }
      out.println(placed);
    }
  }
}
