package io.tabletap.server.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import io.tabletap.server.device.Role;
import io.tabletap.server.json.Json;
import io.tabletap.server.testing.MutableClock;
import io.tabletap.server.testing.RunningServer;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The payments issue's "done when", against a real server with its embedded Payconic sandbox set to
 * approve by itself: credit plus card makes an order PAID through a real signed webhook; a QR bank
 * transfer's PNG decodes to the right payload; refunds stop at what was captured.
 */
class PaymentsEndToEndTest {
  @TempDir static Path dir;
  static RunningServer server;
  static String cashier;

  @BeforeAll
  static void start() {
    server = RunningServer.start(dir, new MutableClock(RunningServer.START),
        config -> config.withPayments(config.payments().withSandboxAutoApproveMs(50L)));
    cashier = server.token(Role.CASHIER);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static String flatWhites() { // 2 × (450 + 100 + 70) = 1240
    RunningServer.Reply reply = server.postJson("/api/orders", cashier,
        "{\"type\":\"TAKEAWAY\",\"lines\":[{\"itemId\":\"flat-white\",\"quantity\":2,\"options\":[\"size-large\",\"milk-oat\"]}]}");
    assertThat(reply.status()).isEqualTo(201);
    return reply.json().get("id").asText();
  }

  static String creditAccountWith(long cents) {
    String account = server.postJson("/api/credit/accounts", cashier, "{\"name\":\"Regular Rita\"}").json().get("id").asText();
    assertThat(server.postJson("/api/credit/accounts/" + account + "/topups", cashier,
        "{\"amount\":" + cents + ",\"reason\":\"prepaid card\"}").status()).isEqualTo(201);
    return account;
  }

  static String orderStatus(String orderId) {
    return server.get("/api/orders/" + orderId, cashier).json().get("status").asText();
  }

  @Test
  void creditAndACardThroughTheSandboxTogetherPayTheOrder() {
    String orderId = flatWhites();
    String account = creditAccountWith(500);
    String payments = "/api/orders/" + orderId + "/payments";

    JsonNode credit = server.postJson(payments, cashier,
        "{\"method\":\"CUSTOMER_CREDIT\",\"amount\":500,\"creditAccountId\":\"" + account + "\"}").json();
    assertThat(credit.get("status").asText()).isEqualTo("COMPLETED");
    assertThat(orderStatus(orderId)).isEqualTo("PAYMENT_PENDING");

    RunningServer.Reply overpay = server.postJson(payments, cashier, "{\"method\":\"PAYCONIC_CARD\",\"amount\":741}");
    assertThat(overpay.status()).isEqualTo(422);
    assertThat(overpay.json().get("error").asText()).isEqualTo("overpayment");

    JsonNode card = server.postJson(payments, cashier, "{\"method\":\"PAYCONIC_CARD\"}").json();
    assertThat(card.get("amount").asLong()).isEqualTo(740);
    assertThat(card.get("status").asText()).isEqualTo("PENDING");
    assertThat(card.get("redirectUrl").asText()).startsWith("http");

    await().atMost(Duration.ofSeconds(10)).until(() -> orderStatus(orderId).equals("PAID"));
    assertThat(server.get("/api/payments/" + card.get("id").asText(), cashier).json().get("status").asText()).isEqualTo("COMPLETED");
    assertThat(server.get("/api/credit/accounts/" + account, cashier).json().get("balance").asLong()).isZero();
  }

  @Test
  void aCardRefundCompletesWhenPayconicConfirmsIt() {
    String orderId = flatWhites();
    String paymentId = server.postJson("/api/orders/" + orderId + "/payments", cashier, "{\"method\":\"PAYCONIC_CARD\"}")
        .json().get("id").asText();
    await().atMost(Duration.ofSeconds(10)).until(() -> orderStatus(orderId).equals("PAID"));

    RunningServer.Reply refund = server.postJson("/api/payments/" + paymentId + "/refunds", cashier,
        "{\"amount\":400,\"reason\":\"wrong milk\"}");
    assertThat(refund.status()).isEqualTo(201);
    await().atMost(Duration.ofSeconds(10)).until(() ->
        server.get("/api/payments/" + paymentId, cashier).json().get("refunded").asLong() == 400);

    RunningServer.Reply tooMuch = server.postJson("/api/payments/" + paymentId + "/refunds", cashier,
        "{\"amount\":841,\"reason\":\"again\"}");
    assertThat(tooMuch.status()).isEqualTo(422);
    assertThat(tooMuch.json().get("details").get("refundable").asLong()).isEqualTo(840);
    assertThat(server.get("/api/payments/" + paymentId, cashier).json().get("status").asText()).isEqualTo("PARTIALLY_REFUNDED");
  }

  @Test
  void aQrBankTransferShowsACodeThatDecodesToTheTransferDetails() throws Exception {
    String orderId = flatWhites();
    JsonNode payment = server.postJson("/api/orders/" + orderId + "/payments", cashier,
        "{\"method\":\"QR_CODE_BANK_TRANSFER\"}").json();
    assertThat(payment.get("status").asText()).isEqualTo("PENDING");
    JsonNode qr = payment.get("qr");
    String reference = qr.get("reference").asText();
    assertThat(reference).matches("TT-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}");

    byte[] png = server.getBytes(qr.get("imageUrl").asText(), cashier);
    var image = ImageIO.read(new ByteArrayInputStream(png));
    assertThat(image.getWidth()).isEqualTo(256);
    String decoded = io.tabletap.server.testing.QrDecoder.decode(png).getText();
    JsonNode payload = Json.mapper().readTree(decoded);
    assertThat(payload.get("paymentMethod").asText()).isEqualTo("bank_transfer");
    assertThat(payload.get("amount").asText()).isEqualTo("12.40");
    assertThat(payload.get("reference").asText()).isEqualTo(reference);
    assertThat(payload.get("bsb").asText()).isNotBlank();
    assertThat(payload.get("accountNumber").asText()).isNotBlank();

    RunningServer.Reply page = server.get("/pay/" + reference, null);
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.raw()).contains("12.40").contains(reference);
  }

  @Test
  void aBankTransferForTheExactAmountPaysTheOrder() {
    String orderId = flatWhites();
    JsonNode payment = server.postJson("/api/orders/" + orderId + "/payments", cashier,
        "{\"method\":\"QR_CODE_BANK_TRANSFER\"}").json();
    String reference = payment.get("qr").get("reference").asText();
    byte[] notification = ("{\"eventId\":\"evt-" + orderId + "\",\"reference\":\"" + reference.toLowerCase()
        + "\",\"amount\":\"12.40\",\"currency\":\"AUD\",\"payerName\":\"R Customer\",\"receivedAt\":\"2026-11-25T23:05:00Z\"}")
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    var settled = server.server().bankSettlement().apply(io.tabletap.server.payment.qrbank.TransferReceived.parse(notification));
    assertThat(settled.payment()).hasValueSatisfying(p -> assertThat(p.status().name()).isEqualTo("COMPLETED"));
    assertThat(orderStatus(orderId)).isEqualTo("PAID");
    server.server().bankSettlement().apply(io.tabletap.server.payment.qrbank.TransferReceived.parse(notification));
    assertThat(server.get("/api/orders/" + orderId + "/payments", cashier).json()).hasSize(1);
  }
}
