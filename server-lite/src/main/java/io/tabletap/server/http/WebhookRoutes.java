package io.tabletap.server.http;

import io.tabletap.server.errors.ApiException;
import io.tabletap.server.inbox.WebhookProcessor;
import io.tabletap.server.webhook.WebhookVerifier;
import io.tabletap.server.webhook.WebhookEvent;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /webhooks/{provider}}: notifications from payment providers, trusted only after the
 * provider's gateway verified the signature over the raw bytes. Public (the signature is the
 * authentication). Applied synchronously here; the durable queue takes over in the queue issue.
 */
final class WebhookRoutes {
  private final Map<String, WebhookVerifier> providers;
  private final WebhookProcessor processor;

  WebhookRoutes(Map<String, WebhookVerifier> providers, WebhookProcessor processor) {
    this.providers = Map.copyOf(providers);
    this.processor = processor;
  }

  record Accepted(String eventId, String status) {}

  List<Route> routes() {
    return List.of(new Route("POST", "/webhooks/{provider}", Set.of(), request -> {
      String provider = request.pathParam("provider");
      WebhookVerifier verifier = providers.get(provider);
      if (verifier == null) {
        throw new ApiException(404, "unknown_provider", "No webhook provider '" + provider + "'");
      }
      WebhookEvent event = verifier.verify(request.body(), request.headers());
      return Response.ok(new Accepted(event.eventId(), processor.process(event)));
    }));
  }
}
