package io.tabletap.server.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tabletap.server.domain.Money;
import io.tabletap.server.json.Json;
import java.time.Instant;

/** One refund: {@code pending} when accepted, {@code succeeded} once the sandbox has paid it back. */
record SandboxRefund(String id, String paymentId, Money amount, String status, Instant createdAt) {

  SandboxRefund succeeded() {
    return new SandboxRefund(id, paymentId, amount, SandboxPayment.SUCCEEDED, createdAt);
  }

  ObjectNode toJson() {
    ObjectNode json = Json.mapper().createObjectNode();
    json.put("id", id);
    json.put("status", status);
    json.put("paymentId", paymentId);
    json.put("amount", amount.minorUnits());
    json.put("currency", amount.currency().getCurrencyCode());
    json.put("createdAt", createdAt.toString());
    return json;
  }
}
