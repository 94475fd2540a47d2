package io.tabletap.server.http;

import io.tabletap.server.payment.GatewayEvents;
import io.tabletap.server.payment.PaymentGateway;
import io.tabletap.server.payment.WebhookEvent;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /webhooks/{provider}}: notifications from payment providers, trusted only after the
 * provider's gateway verified the signature over the raw bytes. Public (the signature is the
 * authentication). Applied synchronously here; the durable queue takes over in the queue issue.
 */
final class WebhookRoutes {
  private final Map<String, PaymentGateway> providers;
  private final GatewayEvents events;

  WebhookRoutes(Map<String, PaymentGateway> providers, GatewayEvents events) {
    this.providers = Map.copyOf(providers);
    this.events = events;
  }

  record Accepted(String eventId, String status) {}

  List<Route> routes() {
    return List.of(new Route("POST", "/webhooks/{provider}", Set.of(), request -> {
      String provider = request.pathParam("provider");
      PaymentGateway gateway = providers.get(provider);
      if (gateway == null) {
        throw new ApiException(404, "unknown_provider", "No webhook provider '" + provider + "'");
      }
      WebhookEvent event = gateway.handleWebhook(request.body(), request.headers());
      GatewayEvents.Applied applied = events.apply(event);
      return Response.ok(new Accepted(event.eventId(), applied.name().toLowerCase(java.util.Locale.ROOT)));
    }));
  }
}
