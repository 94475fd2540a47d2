package io.tabletap.server.payment.qrbank;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import io.tabletap.server.domain.Money;
import io.tabletap.server.json.Json;
import io.tabletap.server.webhook.WebhookEvent;
import io.tabletap.server.webhook.WebhookRejectedException;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Currency;
import java.util.Objects;

/**
 * The bank's {@code transfer.received} notification: money arrived under a reference.
 *
 * <p>Its JSON body is {@code {"eventId","reference","amount","currency","payerName","receivedAt"}}
 * with {@code amount} in major units as a JSON number or string ({@code 12.40} or {@code "12.40"}),
 * {@code receivedAt} an ISO-8601 instant. Trusting it (the signature) is the webhook endpoint's job,
 * done before this is parsed.
 *
 * @param reference exactly as the payer typed it; matched tolerantly later
 * @param payerName may be null
 * @param receivedAt when the bank received the money: this, not the time the notification is
 *     processed, decides whether the transfer was late
 */
public record TransferReceived(String eventId, String reference, Money amount, String payerName, Instant receivedAt) {
  public static final String EVENT_TYPE = "transfer.received";
  public static final String PROVIDER = "bank";
  static final int MAX_EVENT_ID = 128;
  static final int MAX_TEXT = 140;

  public TransferReceived {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(amount, "amount");
    Objects.requireNonNull(receivedAt, "receivedAt");
    if (eventId.isBlank() || eventId.length() > MAX_EVENT_ID) {
      throw new IllegalArgumentException("eventId must be 1 to " + MAX_EVENT_ID + " characters");
    }
    if (reference.length() > MAX_TEXT) {
      throw new IllegalArgumentException("reference is over " + MAX_TEXT + " characters");
    }
    if (amount.isNegative() || amount.isZero()) {
      throw new IllegalArgumentException("amount must be positive");
    }
    if (payerName != null && payerName.length() > MAX_TEXT) {
      payerName = payerName.substring(0, MAX_TEXT);
    }
  }

  /**
   * From a verified webhook event of provider {@code bank} and type {@code transfer.received},
   * whose {@code transactionId} is the reference as typed.
   *
   * @throws WebhookRejectedException ({@code malformed_body}) if it is another event or lacks a field
   */
  public static TransferReceived from(WebhookEvent event) {
    if (!PROVIDER.equals(event.provider()) || !EVENT_TYPE.equals(event.eventType())) {
      throw malformed("Not a bank transfer.received event: " + event.provider() + " " + event.eventType());
    }
    try {
      return new TransferReceived(event.eventId(), event.transactionId(), event.amount(), event.payerName(), event.occurredAt());
    } catch (RuntimeException e) {
      throw malformed("Bad transfer.received event: " + e.getMessage());
    }
  }

  /**
   * Parses the bank's JSON body.
   *
   * @throws WebhookRejectedException ({@code malformed_body}) naming what is wrong
   */
  public static TransferReceived parse(byte[] json) {
    JsonNode root;
    try {
      root = Json.mapper().reader(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).readTree(json);
    } catch (IOException e) {
      throw malformed("The body is not JSON");
    }
    if (root == null || !root.isObject()) {
      throw malformed("The body must be a JSON object");
    }
    String eventId = text(root, "eventId", true);
    String reference = text(root, "reference", true);
    String currencyCode = text(root, "currency", true);
    String payerName = text(root, "payerName", false);
    String receivedAt = text(root, "receivedAt", true);
    Currency currency;
    try {
      currency = Currency.getInstance(currencyCode);
    } catch (IllegalArgumentException e) {
      throw malformed("Unknown currency '" + currencyCode + "'");
    }
    Money amount = amount(root.get("amount"), currency);
    try {
      return new TransferReceived(eventId, reference, amount, payerName, Instant.parse(receivedAt));
    } catch (DateTimeParseException e) {
      throw malformed("receivedAt must be an ISO-8601 instant");
    } catch (IllegalArgumentException e) {
      throw malformed(e.getMessage());
    }
  }

  private static Money amount(JsonNode node, Currency currency) {
    if (node == null || !(node.isNumber() || node.isTextual())) {
      throw malformed("amount is required, as a number in major units such as 12.40");
    }
    BigDecimal major;
    try {
      major = node.isNumber() ? node.decimalValue() : new BigDecimal(node.asText().strip());
    } catch (NumberFormatException e) {
      throw malformed("amount is not a number");
    }
    try {
      long minor = major.movePointRight(currency.getDefaultFractionDigits()).longValueExact();
      return new Money(minor, currency);
    } catch (ArithmeticException e) {
      throw malformed("amount has more decimals than " + currency.getCurrencyCode() + " allows, or is too large");
    }
  }

  private static String text(JsonNode root, String field, boolean required) {
    JsonNode node = root.get(field);
    if (node == null || node.isNull()) {
      if (required) {
        throw malformed(field + " is required");
      }
      return null;
    }
    if (!node.isTextual()) {
      throw malformed(field + " must be a string");
    }
    return node.asText();
  }

  private static WebhookRejectedException malformed(String message) {
    return new WebhookRejectedException("malformed_body", message);
  }
}
