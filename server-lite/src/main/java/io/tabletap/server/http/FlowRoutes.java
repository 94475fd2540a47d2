package io.tabletap.server.http;

import io.tabletap.server.device.Role;
import io.tabletap.server.flow.PaymentFlows;
import io.tabletap.server.payment.StartPayment;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Payment flows: the cashier starts one for an order and follows its steps. */
final class FlowRoutes {
  private static final Set<Role> TILL = EnumSet.of(Role.ADMIN, Role.CASHIER);

  private final PaymentFlows flows;

  FlowRoutes(PaymentFlows flows) {
    this.flows = flows;
  }

  List<Route> routes() {
    return List.of(
        new Route("POST", "/api/orders/{id}/payment-flows", TILL, this::start),
        new Route("GET", "/api/flows/{id}", TILL, r -> Response.ok(flows.get(r.device().cafeId(), r.pathParam("id")))));
  }

  private Response start(Request request) throws Exception {
    PaymentRoutes.StartBody body = request.bodyAs(PaymentRoutes.StartBody.class);
    PaymentFlows.FlowView flow = flows.start(request.device(), Ids.uuid(request, "id", "order"),
        new StartPayment(body.method(), body.amount(), body.tendered(), body.creditAccountId()),
        request.header("Idempotency-Key").orElse(null));
    return new Response(202, flow, Map.of("Location", "/api/flows/" + flow.flowId()));
  }
}
