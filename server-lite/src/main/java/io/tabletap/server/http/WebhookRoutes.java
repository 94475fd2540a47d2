package io.tabletap.server.http;

import io.tabletap.server.errors.ApiException;
import io.tabletap.server.inbox.WebhookInbox;
import io.tabletap.server.webhook.WebhookRejectedException;
import io.tabletap.server.webhook.WebhookVerifier;
import io.tabletap.server.webhook.WebhookEvent;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /webhooks/{provider}}: notifications from payment providers, trusted only after the
 * provider's gateway verified the signature over the raw bytes. Public (the signature is the
 * authentication). A new event is committed to the webhook queue before the 202; a repeat gets
 * 200 with the first delivery's id; a refused one is audited with its reason and answered 401.
 */
final class WebhookRoutes {
  private final Map<String, WebhookVerifier> providers;
  private final WebhookInbox inbox;

  WebhookRoutes(Map<String, WebhookVerifier> providers, WebhookInbox inbox) {
    this.providers = Map.copyOf(providers);
    this.inbox = inbox;
  }

  record Accepted(java.util.UUID webhookId, String status) {}

  List<Route> routes() {
    return List.of(new Route("POST", "/webhooks/{provider}", Set.of(), request -> {
      String provider = request.pathParam("provider");
      WebhookVerifier verifier = providers.get(provider);
      if (verifier == null) {
        throw new ApiException(404, "unknown_provider", "No webhook provider '" + provider + "'");
      }
      WebhookEvent event;
      try {
        event = verifier.verify(request.body(), request.headers());
      } catch (WebhookRejectedException rejected) {
        inbox.rejected(provider, rejected);
        throw rejected;
      }
      WebhookInbox.Receipt receipt = inbox.accept(event);
      String status = receipt.status().name().toLowerCase(java.util.Locale.ROOT);
      return Response.of(receipt.status() == WebhookInbox.Status.DUPLICATE ? 200 : 202, new Accepted(receipt.webhookId(), status));
    }));
  }
}
