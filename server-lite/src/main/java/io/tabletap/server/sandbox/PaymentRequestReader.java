package io.tabletap.server.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.tabletap.server.domain.Money;
import java.net.URI;
import java.util.Currency;
import java.util.Iterator;
import java.util.Set;

/** Checks and reads the bodies of {@code POST /payments} and {@code POST /payments/{id}/refunds} (422 if wrong). */
final class PaymentRequestReader {
  static final Set<String> METHODS = Set.of("card", "bank_transfer", "digital_wallet");
  private static final Set<String> FIELDS =
      Set.of("amount", "currency", "merchantReference", "paymentId", "returnUrl", "method", "description");
  private static final long MAX_AMOUNT = 100_000_000_00L;

  private PaymentRequestReader() {}

  static SandboxPayment.NewPayment read(JsonNode body) {
    onlyFields(body, FIELDS);
    long amount = amount(body.get("amount"));
    Currency currency;
    try {
      currency = Currency.getInstance(text(body, "currency", true, 3));
    } catch (IllegalArgumentException e) {
      throw invalid("currency must be an ISO 4217 code such as AUD");
    }
    String method = text(body, "method", true, 20);
    if (!METHODS.contains(method)) {
      throw invalid("method must be one of " + METHODS);
    }
    String returnUrl = text(body, "returnUrl", false, 2000);
    if (returnUrl != null && !isHttpUrl(returnUrl)) {
      throw invalid("returnUrl must be an http(s) URL");
    }
    return new SandboxPayment.NewPayment(new Money(amount, currency), text(body, "merchantReference", true, 200),
        text(body, "paymentId", false, 200), method, text(body, "description", false, 200), returnUrl);
  }

  /** The refund's amount, or null for "all that is left". */
  static Long refundAmount(JsonNode body) {
    onlyFields(body, Set.of("amount"));
    JsonNode amount = body.get("amount");
    return amount == null || amount.isNull() ? null : amount(amount);
  }

  private static long amount(JsonNode node) {
    if (node == null || !node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() <= 0
        || node.longValue() > MAX_AMOUNT) {
      throw invalid("amount must be a whole number of minor units, from 1 to " + MAX_AMOUNT);
    }
    return node.longValue();
  }

  private static String text(JsonNode body, String field, boolean required, int maxLength) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      if (required) {
        throw invalid(field + " is required");
      }
      return null;
    }
    if (!node.isTextual() || node.asText().isBlank() || node.asText().length() > maxLength) {
      throw invalid(field + " must be a string of 1 to " + maxLength + " characters");
    }
    return node.asText();
  }

  private static void onlyFields(JsonNode body, Set<String> known) {
    for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!known.contains(name)) {
        throw invalid("Unknown parameter '" + name + "'");
      }
    }
  }

  private static boolean isHttpUrl(String value) {
    try {
      URI uri = new URI(value);
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }

  private static SandboxException invalid(String message) {
    return new SandboxException(422, "invalid_request", message);
  }
}
