package io.tabletap.server.payment.qrbank;

import io.tabletap.server.config.Secret;
import io.tabletap.server.webhook.WebhookEvent;
import io.tabletap.server.webhook.WebhookSignature;
import io.tabletap.server.webhook.WebhookVerifier;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The bank's {@code transfer.received} notification: the same signature scheme as Payconic's
 * (HMAC-SHA256 over {@code t + "." + raw body}, several {@code v1} allowed, 300 s tolerance) in the
 * header {@value #SIGNATURE_HEADER}, with the bank's own secret.
 */
public final class BankWebhookVerifier implements WebhookVerifier {
  public static final String SIGNATURE_HEADER = "Bank-Signature";

  private final List<Secret> secrets;
  private final Clock clock;

  public BankWebhookVerifier(List<Secret> secrets, Clock clock) {
    this.secrets = List.copyOf(secrets);
    this.clock = clock;
  }

  @Override
  public WebhookEvent verify(byte[] rawBody, Map<String, List<String>> headers) {
    WebhookSignature.verify(rawBody, headers, SIGNATURE_HEADER, secrets, clock);
    TransferReceived transfer = TransferReceived.parse(rawBody);
    return new WebhookEvent(TransferReceived.PROVIDER, transfer.eventId(), TransferReceived.EVENT_TYPE, transfer.reference(),
        null, transfer.amount(), transfer.payerName(), transfer.receivedAt());
  }

}
