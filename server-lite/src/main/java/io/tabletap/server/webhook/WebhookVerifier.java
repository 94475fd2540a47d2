package io.tabletap.server.webhook;

import java.util.List;
import java.util.Map;

/** Checks one provider's notification over its raw bytes and parses it. One per provider. */
@FunctionalInterface
public interface WebhookVerifier {

  /**
   * @throws WebhookRejectedException if the signature is missing, wrong or stale, or the body is
   *     not the provider's format ({@code malformed_body})
   */
  WebhookEvent verify(byte[] rawBody, Map<String, List<String>> headers);
}
