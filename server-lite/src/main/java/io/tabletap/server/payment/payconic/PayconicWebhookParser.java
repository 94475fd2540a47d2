package io.tabletap.server.payment.payconic;

import com.fasterxml.jackson.databind.JsonNode;
import io.tabletap.server.domain.Money;
import io.tabletap.server.json.Json;
import io.tabletap.server.webhook.WebhookEvent;
import io.tabletap.server.webhook.WebhookRejectedException;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Currency;

/**
 * Reads a Payconic webhook body (already verified) into a {@link WebhookEvent}:
 * {@code {"eventId","eventType","paymentId","orderId","amount","currency","occurredAt"}}.
 * {@code eventId}, {@code eventType}, {@code paymentId} and {@code occurredAt} are required;
 * {@code orderId} may be absent; {@code amount} (integer, minor units) comes with {@code currency}
 * or not at all. Fields we do not know are ignored: a provider adds fields without notice. An
 * event type we do not know is still returned; the caller decides to ignore it. Text fields have
 * upper bounds (the ids fit our job keys, audit rows and columns), as the bank's do.
 */
final class PayconicWebhookParser {
  static final String PROVIDER = "payconic";
  static final int MAX_ID = 128;
  static final int MAX_EVENT_TYPE = 64;

  private PayconicWebhookParser() {}

  /** @throws WebhookRejectedException with reason {@code malformed_body} */
  static WebhookEvent parse(byte[] rawBody) {
    JsonNode body;
    try {
      body = Json.mapper().readTree(rawBody);
    } catch (IOException e) {
      throw malformed("the body is not JSON");
    }
    if (body == null || !body.isObject()) {
      throw malformed("the body is not a JSON object");
    }
    String eventId = bounded("eventId", requiredText(body, "eventId"), MAX_ID);
    String eventType = bounded("eventType", requiredText(body, "eventType"), MAX_EVENT_TYPE);
    String paymentId = bounded("paymentId", requiredText(body, "paymentId"), MAX_ID);
    String orderId = bounded("orderId", optionalText(body, "orderId"), MAX_ID);
    Instant occurredAt;
    try {
      occurredAt = Instant.parse(requiredText(body, "occurredAt"));
    } catch (DateTimeParseException e) {
      throw malformed("occurredAt is not an ISO-8601 instant");
    }
    return new WebhookEvent(PROVIDER, eventId, eventType, paymentId, orderId, amount(body), null, occurredAt);
  }

  private static Money amount(JsonNode body) {
    JsonNode amount = body.get("amount");
    String currency = optionalText(body, "currency");
    if (amount == null || amount.isNull()) {
      if (currency != null) {
        throw malformed("currency without amount");
      }
      return null;
    }
    if (!amount.isIntegralNumber() || !amount.canConvertToLong()) {
      throw malformed("amount is not a whole number of minor units");
    }
    if (currency == null) {
      throw malformed("amount without currency");
    }
    try {
      return new Money(amount.longValue(), Currency.getInstance(currency));
    } catch (IllegalArgumentException e) {
      throw malformed("currency is not an ISO 4217 code");
    }
  }

  private static String bounded(String field, String value, int max) {
    if (value != null && value.length() > max) {
      throw malformed(field + " is over " + max + " characters");
    }
    return value;
  }

  private static String requiredText(JsonNode body, String field) {
    String value = optionalText(body, field);
    if (value == null || value.isBlank()) {
      throw malformed(field + " is missing");
    }
    return value;
  }

  private static String optionalText(JsonNode body, String field) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw malformed(field + " is not a string");
    }
    return node.asText();
  }

  private static WebhookRejectedException malformed(String why) {
    return new WebhookRejectedException("malformed_body", "Malformed Payconic webhook: " + why);
  }
}
