package io.tabletap.server.inbox;

import io.tabletap.server.payment.GatewayEvents;
import io.tabletap.server.payment.qrbank.BankTransferSettlement;
import io.tabletap.server.payment.qrbank.TransferReceived;
import io.tabletap.server.webhook.WebhookEvent;
import java.util.Locale;

/**
 * Applies a verified provider event to payments and orders: Payconic's payment and refund results
 * through {@link GatewayEvents}, the bank's transfers through {@link BankTransferSettlement}.
 * Idempotent: an event applied twice changes nothing the second time.
 */
public final class WebhookProcessor {
  private final GatewayEvents payconic;
  private final BankTransferSettlement bank;

  public WebhookProcessor(GatewayEvents payconic, BankTransferSettlement bank) {
    this.payconic = payconic;
    this.bank = bank;
  }

  /** @return what became of it, in lower case: {@code applied}, {@code no_change}, {@code ignored}, … */
  public String process(WebhookEvent event) {
    if (TransferReceived.PROVIDER.equals(event.provider())) {
      BankTransferSettlement.Settled settled = bank.apply(TransferReceived.from(event));
      return settled.result().outcome().name().toLowerCase(Locale.ROOT);
    }
    return payconic.apply(event).name().toLowerCase(Locale.ROOT);
  }
}
