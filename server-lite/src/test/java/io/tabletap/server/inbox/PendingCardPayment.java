package io.tabletap.server.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tabletap.server.testing.RunningServer;

/** An order with a Payconic card payment waiting for its webhook, made over HTTP as a till would. */
record PendingCardPayment(String orderId, String paymentId, String payconicId) {
  static PendingCardPayment create(RunningServer server, String cashierToken) {
    String orderId = server.postJson("/api/orders", cashierToken,
        "{\"type\":\"TAKEAWAY\",\"lines\":[{\"itemId\":\"long-black\",\"quantity\":1,\"options\":[\"size-small\"]}]}")
        .json().get("id").asText();
    JsonNode payment = server.postJson("/api/orders/" + orderId + "/payments", cashierToken, "{\"method\":\"PAYCONIC_CARD\"}")
        .json();
    assertThat(payment.get("status").asText()).isEqualTo("PENDING");
    return new PendingCardPayment(orderId, payment.get("id").asText(), payment.get("gatewayTransactionId").asText());
  }
}
