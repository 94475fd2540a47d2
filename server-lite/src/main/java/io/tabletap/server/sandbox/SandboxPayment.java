package io.tabletap.server.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tabletap.server.domain.Money;
import io.tabletap.server.json.Json;
import java.time.Instant;

/**
 * One payment as the sandbox keeps it. Immutable: a change makes a new one.
 *
 * @param status {@code pending}, {@code succeeded} or {@code failed}
 * @param refundedMinor minor units given back so far (refunds accepted, pending or done)
 */
record SandboxPayment(
    String id, NewPayment request, String status, String failureMessage, long refundedMinor, Instant createdAt,
    Instant updatedAt) {

  static final String PENDING = "pending";
  static final String SUCCEEDED = "succeeded";
  static final String FAILED = "failed";

  /** What a client asked for; two requests under one idempotency key must be equal. */
  record NewPayment(
      Money amount, String merchantReference, String paymentId, String method, String description, String returnUrl) {}

  Money amount() {
    return request.amount();
  }

  SandboxPayment decided(boolean approved, Instant now) {
    return new SandboxPayment(id, request, approved ? SUCCEEDED : FAILED,
        approved ? null : "Declined by the customer on the sandbox page", refundedMinor, createdAt, now);
  }

  SandboxPayment refunded(long minorUnits, Instant now) {
    return new SandboxPayment(id, request, status, failureMessage, refundedMinor + minorUnits, createdAt, now);
  }

  ObjectNode toJson(String redirectUrl) {
    ObjectNode json = Json.mapper().createObjectNode();
    json.put("id", id);
    json.put("status", status);
    json.put("amount", request.amount().minorUnits());
    json.put("currency", request.amount().currency().getCurrencyCode());
    json.put("merchantReference", request.merchantReference());
    json.put("paymentId", request.paymentId());
    json.put("method", request.method());
    json.put("description", request.description());
    json.put("redirectUrl", redirectUrl);
    json.put("refundedAmount", refundedMinor);
    json.put("failureMessage", failureMessage);
    json.put("createdAt", createdAt.toString());
    json.put("updatedAt", updatedAt.toString());
    return json;
  }
}
