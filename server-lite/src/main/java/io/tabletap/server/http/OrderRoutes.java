package io.tabletap.server.http;

import io.tabletap.server.errors.ApiException;
import io.tabletap.server.device.Role;
import io.tabletap.server.domain.FieldError;
import io.tabletap.server.domain.OrderRequest;
import io.tabletap.server.domain.OrderStatus;
import io.tabletap.server.domain.OrderType;
import io.tabletap.server.domain.ValidationException;
import io.tabletap.server.order.OrderService;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** {@code /api/orders}: take orders, read them, move them along their state machine. */
final class OrderRoutes {
  private static final Set<Role> TAKERS = EnumSet.of(Role.ADMIN, Role.CASHIER);
  private static final Set<Role> MOVERS = EnumSet.of(Role.ADMIN, Role.CASHIER, Role.KITCHEN);
  private static final int DEFAULT_LIMIT = 100;

  private final OrderService orders;

  OrderRoutes(OrderService orders) {
    this.orders = orders;
  }

  List<Route> routes() {
    return List.of(
        new Route("POST", "/api/orders", TAKERS, this::place),
        new Route("GET", "/api/orders", EnumSet.allOf(Role.class), this::list),
        new Route("GET", "/api/orders/{id}", EnumSet.allOf(Role.class), this::get),
        new Route("POST", "/api/orders/{id}/transitions", MOVERS, this::transition));
  }

  record LineBody(String itemId, Integer quantity, List<String> options, String note) {}

  record OrderBody(UUID id, OrderType type, String table, List<LineBody> lines) {
    OrderRequest toRequest() {
      return new OrderRequest(id, type, table, lines == null ? null : lines.stream()
          .map(l -> l == null ? null : new OrderRequest.LineRequest(l.itemId(), l.quantity(), l.options(), l.note())).toList());
    }
  }

  record TransitionBody(OrderStatus to) {}

  private Response place(Request request) throws Exception {
    OrderRequest order = request.bodyAs(OrderBody.class).toRequest();
    String key = request.header("Idempotency-Key").orElse(null);
    OrderService.Placed placed = orders.place(request.device().cafeId(), order, key);
    Views.OrderView view = Views.order(placed.order());
    return placed.created() ? Response.created(view, "/api/orders/" + view.id()) : Response.ok(view);
  }

  private Response get(Request request) {
    return Response.ok(Views.order(orders.get(request.device().cafeId(), orderId(request))));
  }

  private Response list(Request request) {
    Set<OrderStatus> statuses = EnumSet.noneOf(OrderStatus.class);
    for (String s : request.queryParam("status").map(v -> v.split(",")).orElse(new String[0])) {
      if (s.isBlank()) {
        continue;
      }
      try {
        statuses.add(OrderStatus.valueOf(s.strip().toUpperCase(java.util.Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new ApiException(400, "bad_parameter", "Unknown status '" + s + "'; use one of " + List.of(OrderStatus.values()));
      }
    }
    Instant since = request.queryParam("since").map(OrderRoutes::instant).orElse(null);
    int limit = request.queryParam("limit").map(OrderRoutes::limit).orElse(DEFAULT_LIMIT);
    return Response.ok(orders.list(request.device().cafeId(), statuses, since, limit).stream().map(Views::order).toList());
  }

  private Response transition(Request request) throws Exception {
    UUID id = orderId(request);
    TransitionBody body = request.bodyAs(TransitionBody.class);
    if (body.to() == null) {
      throw new ValidationException(List.of(new FieldError("to", "status_required", "Say which status to move to: {\"to\":\"READY\"}")));
    }
    return Response.ok(Views.order(orders.transition(request.device(), id, body.to())));
  }

  private static UUID orderId(Request request) {
    String raw = request.pathParam("id");
    try {
      return UUID.fromString(raw);
    } catch (IllegalArgumentException e) {
      throw new ApiException(404, "not_found", "No order '" + raw + "'");
    }
  }

  private static Instant instant(String value) {
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new ApiException(400, "bad_parameter", "since must be an ISO-8601 instant such as 2026-11-26T08:00:00Z");
    }
  }

  private static int limit(String value) {
    try {
      int limit = Integer.parseInt(value);
      if (limit >= 1 && limit <= OrderService.MAX_LIST_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new ApiException(400, "bad_parameter", "limit must be 1 to " + OrderService.MAX_LIST_LIMIT);
  }
}
