package io.tabletap.server.payment.payconic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tabletap.server.config.Secret;
import io.tabletap.server.domain.Money;
import io.tabletap.server.domain.PaymentMethod;
import io.tabletap.server.domain.PaymentStatus;
import io.tabletap.server.json.Json;
import io.tabletap.server.payment.GatewayException;
import io.tabletap.server.payment.GatewayPayment;
import io.tabletap.server.payment.GatewayRefund;
import io.tabletap.server.payment.PaymentGateway;
import io.tabletap.server.payment.PaymentRequest;
import io.tabletap.server.webhook.WebhookEvent;
import io.tabletap.server.webhook.WebhookSignature;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import okhttp3.OkHttpClient;

/**
 * Card, bank-transfer and wallet payments through Payconic's hosted payment page (see
 * docs/payconic.md for the API and webhook contracts).
 *
 * <p>{@link #initiatePayment} creates a payment and answers the page the customer pays on; the
 * outcome arrives later as a signed webhook ({@link #handleWebhook}) and can be polled with
 * {@link #verifyPayment}. Card data never passes through us: the customer types it on Payconic's
 * page.
 *
 * <p>Every call blocks the calling thread for at most the configured timeout. Every POST carries
 * an {@code Idempotency-Key}: the caller's payment or refund key, so retrying a call that failed
 * with a retryable {@link GatewayException} never charges or refunds twice. This class does not
 * retry by itself. Thread-safe.
 */
public final class PayconicGateway implements PaymentGateway {
  /** The header of a webhook's signature, {@code t=<unix seconds>,v1=<hex>[,v1=<hex>…]}. */
  public static final String SIGNATURE_HEADER = "Payconic-Signature";
  public static final String PROVIDER = PayconicWebhookParser.PROVIDER;

  private final PayconicConfig config;
  private final PayconicClient client;
  private final Clock clock;

  /**
   * @param shared the application's one {@link OkHttpClient}; this gateway derives its own with
   *     {@link OkHttpClient#newBuilder()} (its timeouts, its logging), sharing the connection pool
   *     and threads. The caller keeps owning {@code shared}.
   * @param clock the now that webhook timestamps are checked against
   */
  public PayconicGateway(OkHttpClient shared, PayconicConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
    List<Secret> secrets = new ArrayList<>(config.webhookSecrets());
    secrets.add(config.apiKey());
    OkHttpClient own = shared.newBuilder()
        .connectTimeout(config.timeout())
        .readTimeout(config.timeout())
        .writeTimeout(config.timeout())
        .callTimeout(config.timeout())
        .addInterceptor(new LoggingInterceptor())
        .build();
    this.client = new PayconicClient(own, config, new Redactor(secrets));
  }

  /**
   * {@code POST /payments}. Answers Payconic's id as {@code transactionId}, its status (normally
   * PENDING) and the hosted page as {@code redirectUrl}.
   *
   * @throws IllegalArgumentException for a method that is not one of Payconic's, or no idempotency key
   * @throws GatewayException if Payconic could not be reached or refused
   */
  @Override
  public GatewayPayment initiatePayment(PaymentRequest request) {
    ObjectNode body = Json.mapper().createObjectNode();
    body.put("amount", request.amount().minorUnits());
    body.put("currency", request.amount().currency().getCurrencyCode());
    body.put("merchantReference", request.orderId().toString());
    if (request.paymentId() != null) {
      body.put("paymentId", request.paymentId().toString());
    }
    if (config.returnUrl() != null) {
      body.put("returnUrl", config.returnUrl());
    }
    body.put("method", method(request.method()));
    if (request.reference() != null) {
      body.put("description", request.reference());
    }
    JsonNode reply = client.post(body, request.idempotencyKey(), "payments");
    return new GatewayPayment(requiredText(reply, "id"), PayconicStatus.toDomain(text(reply, "status")),
        text(reply, "redirectUrl"), null, null);
  }

  /**
   * {@code GET /payments/{id}}. {@code capturedAmount} is set once the payment succeeded; {@code
   * message} carries Payconic's reason for a failure.
   */
  @Override
  public GatewayPayment verifyPayment(String transactionId) {
    JsonNode reply = client.get("payments", transactionId);
    PaymentStatus status = PayconicStatus.toDomain(text(reply, "status"));
    Money captured = status == PaymentStatus.COMPLETED ? amount(reply) : null;
    return new GatewayPayment(requiredText(reply, "id"), status, text(reply, "redirectUrl"), captured,
        text(reply, "failureMessage"));
  }

  /** The payment's {@code amount} and {@code currency}, or null if Payconic's answer lacks them. */
  private static Money amount(JsonNode reply) {
    JsonNode amount = reply.get("amount");
    String currency = text(reply, "currency");
    if (amount == null || !amount.isIntegralNumber() || !amount.canConvertToLong() || currency == null) {
      return null;
    }
    try {
      return new Money(amount.longValue(), Currency.getInstance(currency));
    } catch (IllegalArgumentException e) {
      throw new GatewayException("Payconic's answer has an unknown currency '" + currency + "'", false);
    }
  }

  /**
   * {@code POST /payments/{id}/refunds} with {@code {"amount"}} (no amount: the rest of the
   * payment). Payconic usually answers {@code pending} and confirms with a {@code refund.succeeded}
   * webhook; {@code completed} is true only for an immediate {@code succeeded}.
   *
   * @throws GatewayException also when Payconic answers the refund as {@code failed} (permanent)
   */
  @Override
  public GatewayRefund refundPayment(String transactionId, Optional<Money> amount, String idempotencyKey) {
    ObjectNode body = Json.mapper().createObjectNode();
    amount.ifPresent(a -> body.put("amount", a.minorUnits()));
    JsonNode reply = client.post(body, idempotencyKey, "payments", transactionId, "refunds");
    String refundId = requiredText(reply, "id");
    String status = text(reply, "status");
    if ("failed".equals(status)) {
      String reason = text(reply, "failureMessage");
      throw new GatewayException("Payconic refused refund " + refundId + (reason == null ? "" : ": " + reason), false);
    }
    return new GatewayRefund(refundId, "succeeded".equals(status));
  }

  /**
   * Verifies {@link #SIGNATURE_HEADER} over {@code rawBody} exactly as received (any of the
   * configured webhook secrets, timestamp within {@link WebhookSignature#TOLERANCE}), then parses
   * it. {@code transactionId} is Payconic's payment id; {@code orderId} is ours, as we sent it in
   * {@code merchantReference}. An unknown {@code eventType} is returned as it is.
   *
   * @param headers as received; names are matched ignoring case
   * @throws io.tabletap.server.webhook.WebhookRejectedException {@code missing_signature}, {@code
   *     malformed_signature}, {@code bad_signature}, {@code stale_timestamp} or {@code malformed_body}
   */
  @Override
  public WebhookEvent handleWebhook(byte[] rawBody, Map<String, List<String>> headers) {
    WebhookSignature.verify(rawBody, headers, SIGNATURE_HEADER, config.webhookSecrets(), clock);
    return PayconicWebhookParser.parse(rawBody);
  }

  static String method(PaymentMethod method) {
    return switch (method) {
      case PAYCONIC_CARD -> "card";
      case PAYCONIC_BANK_TRANSFER -> "bank_transfer";
      case PAYCONIC_DIGITAL_WALLET -> "digital_wallet";
      default -> throw new IllegalArgumentException("Payconic does not take " + method);
    };
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.get(field);
    return value == null || !value.isTextual() ? null : value.asText();
  }

  private static String requiredText(JsonNode node, String field) {
    String value = text(node, field);
    if (value == null || value.isBlank()) {
      throw new GatewayException("Payconic's answer has no " + field, true);
    }
    return value;
  }
}
