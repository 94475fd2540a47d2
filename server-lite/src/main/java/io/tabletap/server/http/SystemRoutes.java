package io.tabletap.server.http;

import io.tabletap.server.device.Role;
import io.tabletap.server.domain.Cafe;
import io.tabletap.server.domain.NotFoundException;
import io.tabletap.server.menu.CafeStore;
import io.tabletap.server.menu.MenuStore;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

/** {@code /health} (public) and {@code /api/menu}. */
final class SystemRoutes {
  private final String version;
  private final BooleanSupplier databaseHealthy;
  private final CafeStore cafes;
  private final MenuStore menus;

  SystemRoutes(String version, BooleanSupplier databaseHealthy, CafeStore cafes, MenuStore menus) {
    this.version = version;
    this.databaseHealthy = databaseHealthy;
    this.cafes = cafes;
    this.menus = menus;
  }

  record Health(String status, String version, String db) {}

  List<Route> routes() {
    return List.of(
        new Route("GET", "/health", Set.of(), request -> {
          boolean up = databaseHealthy.getAsBoolean();
          return Response.of(up ? 200 : 503, new Health(up ? "UP" : "DOWN", version, up ? "UP" : "DOWN"));
        }),
        new Route("GET", "/api/menu", EnumSet.allOf(Role.class), request -> {
          String cafeId = request.device().cafeId();
          Cafe cafe = cafes.find(cafeId).orElseThrow(() -> new NotFoundException("No cafe '" + cafeId + "'"));
          return Response.ok(Views.menu(menus.menu(cafeId), cafe));
        }));
  }
}
