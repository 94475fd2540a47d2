package io.tabletap.server.queue;

import java.util.Locale;

/**
 * The priority of a {@code webhook-processing} job by the provider's event type (the seed's
 * {@code getWebhookPriority}): lower runs sooner, and a payment's result comes first, because a
 * customer is waiting at the till for it.
 *
 * <table>
 *   <caption>priorities</caption>
 *   <tr><th>event type</th><th>priority</th></tr>
 *   <tr><td>{@code payment.succeeded}, {@code payment.failed}, {@code payment.cancelled},
 *       {@code payment.expired}, {@code transfer.received}</td><td>1</td></tr>
 *   <tr><td>{@code refund.*}</td><td>2</td></tr>
 *   <tr><td>any other {@code payment.*}</td><td>3</td></tr>
 *   <tr><td>anything else, or none</td><td>5</td></tr>
 * </table>
 */
public final class WebhookPriority {
  public static final int PAYMENT_RESULT = 1;
  public static final int REFUND = 2;
  public static final int OTHER_PAYMENT = 3;
  public static final int OTHER = 5;

  private WebhookPriority() {}

  public static int of(String eventType) {
    if (eventType == null) {
      return OTHER;
    }
    String type = eventType.toLowerCase(Locale.ROOT);
    return switch (type) {
      case "payment.succeeded", "payment.failed", "payment.cancelled", "payment.expired", "transfer.received" ->
          PAYMENT_RESULT;
      default -> type.startsWith("refund.") ? REFUND : type.startsWith("payment.") ? OTHER_PAYMENT : OTHER;
    };
  }
}
