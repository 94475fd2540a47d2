package io.tabletap.server.http;

import io.tabletap.server.menu.CafeStore;
import io.tabletap.server.menu.MenuStore;
import io.tabletap.server.order.OrderService;
import io.tabletap.server.payment.qrbank.PayPage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Every route of the HTTP API, in one list; docs/api.md describes each. */
public final class ApiRoutes {
  private ApiRoutes() {}

  public static List<Route> all(String version, BooleanSupplier databaseHealthy, CafeStore cafes, MenuStore menus, OrderService orders,
      PayPage payPage) {
    List<Route> routes = new ArrayList<>();
    routes.addAll(new SystemRoutes(version, databaseHealthy, cafes, menus).routes());
    routes.addAll(new OrderRoutes(orders).routes());
    routes.addAll(new PayPageRoutes(payPage).routes());
    return routes;
  }
}
