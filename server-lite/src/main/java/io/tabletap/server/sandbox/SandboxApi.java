package io.tabletap.server.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.tabletap.server.sandbox.SandboxLedger.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Payconic's JSON API ({@code /payments…}) and the sandbox's own {@code /__admin/faults}. Both
 * need {@code Authorization: Bearer <api key>} (401 otherwise); the API also {@code
 * X-Merchant-ID} (403 for another merchant). Faults act on {@code /payments…} only, in this
 * order: latency, then an injected 500, then the call itself, then a held answer.
 */
final class SandboxApi implements HttpHandler {
  private static final Logger log = LoggerFactory.getLogger(SandboxApi.class);

  private final PayconicSandbox sandbox;
  private final SandboxLedger ledger;
  private final FaultInjector faults;
  private final SandboxConfig config;
  private final byte[] expectedAuthorization;

  SandboxApi(PayconicSandbox sandbox, SandboxLedger ledger, FaultInjector faults, SandboxConfig config) {
    this.sandbox = sandbox;
    this.ledger = ledger;
    this.faults = faults;
    this.config = config;
    this.expectedAuthorization = ("Bearer " + config.apiKey().reveal()).getBytes(StandardCharsets.UTF_8);
  }

  /** One answer of the API: status, JSON body, extra headers. */
  private record Answer(int status, JsonNode body, Map<String, String> headers) {}

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getRawPath();
      try {
        if (path.equals("/__admin/faults")) {
          authenticate(exchange);
          Answer answer = admin(exchange);
          Exchanges.sendJson(exchange, answer.status(), answer.body(), answer.headers());
          return;
        }
        sandbox.pause(faults.current().latencyMs());
        if (faults.takeFailure()) {
          throw new SandboxException(500, "api_error", "Injected fault: internal error");
        }
        authenticate(exchange);
        requireMerchant(exchange);
        Answer answer = payments(exchange, path);
        long holdMs = faults.takeTimeoutHoldMs();
        if (holdMs > 0) {
          log.info("Sandbox: holding the answer to {} {} for {} ms (timeout fault)", exchange.getRequestMethod(), path, holdMs);
          sandbox.pause(holdMs);
        }
        Exchanges.sendJson(exchange, answer.status(), answer.body(), answer.headers());
      } catch (SandboxException e) {
        Exchanges.sendError(exchange, e);
      } catch (IOException e) {
        log.debug("Sandbox: client went away: {}", e.toString());
      } catch (RuntimeException e) {
        log.warn("Sandbox: {} {} failed", exchange.getRequestMethod(), path, e);
        Exchanges.sendError(exchange, new SandboxException(500, "api_error", "Sandbox error"));
      }
    }
  }

  private Answer payments(HttpExchange exchange, String path) throws IOException {
    String method = exchange.getRequestMethod();
    String[] parts = path.substring(1).split("/", -1);
    if (parts.length == 1 && parts[0].equals("payments")) {
      requireMethod(method, "POST");
      return create(exchange);
    }
    if (parts.length == 2 && parts[0].equals("payments")) {
      requireMethod(method, "GET");
      SandboxPayment payment = ledger.find(parts[1]).orElseThrow(() -> SandboxLedger.notFound(parts[1]));
      return new Answer(200, payment.toJson(sandbox.redirectUrl(payment.id())), Map.of());
    }
    if (parts.length == 3 && parts[0].equals("payments") && parts[2].equals("refunds")) {
      requireMethod(method, "POST");
      return refund(exchange, parts[1]);
    }
    throw new SandboxException(404, "not_found", "No route " + method + " " + path);
  }

  private Answer create(HttpExchange exchange) throws IOException {
    String key = idempotencyKey(exchange);
    SandboxPayment.NewPayment request = PaymentRequestReader.read(Exchanges.json(exchange));
    Result<SandboxPayment> result = ledger.create(request, key);
    SandboxPayment payment = result.value();
    if (result.created()) {
      log.info("Sandbox: payment {} of {} for {} created", payment.id(), payment.amount(), request.merchantReference());
      sandbox.created(payment);
    }
    ObjectNode body = payment.toJson(sandbox.redirectUrl(payment.id()));
    return new Answer(201, body, result.created() ? Map.of() : Map.of("Idempotent-Replayed", "true"));
  }

  private Answer refund(HttpExchange exchange, String paymentId) throws IOException {
    String key = idempotencyKey(exchange);
    JsonNode body = Exchanges.json(exchange);
    Long amount = PaymentRequestReader.refundAmount(body);
    Result<SandboxRefund> result = ledger.refund(paymentId, amount, key);
    if (result.created()) {
      sandbox.refundAccepted(result.value());
    }
    return new Answer(201, result.value().toJson(), result.created() ? Map.of() : Map.of("Idempotent-Replayed", "true"));
  }

  private Answer admin(HttpExchange exchange) throws IOException {
    switch (exchange.getRequestMethod()) {
      case "GET" -> {
        return new Answer(200, faults.current().toJson(), Map.of());
      }
      case "POST" -> {
        try {
          Faults newFaults = Faults.fromJson(Exchanges.json(exchange));
          faults.set(newFaults);
          log.info("Sandbox: faults now {}", newFaults);
          return new Answer(200, newFaults.toJson(), Map.of());
        } catch (IllegalArgumentException e) {
          throw new SandboxException(400, "invalid_request", e.getMessage());
        }
      }
      default -> throw new SandboxException(405, "invalid_request", "Use GET or POST on /__admin/faults");
    }
  }

  private void authenticate(HttpExchange exchange) {
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    byte[] given = header == null ? new byte[0] : header.getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(given, expectedAuthorization)) {
      throw new SandboxException(401, "authentication_error", "Invalid API key: send Authorization: Bearer <api key>");
    }
  }

  private void requireMerchant(HttpExchange exchange) {
    String merchant = exchange.getRequestHeaders().getFirst("X-Merchant-ID");
    if (merchant == null || merchant.isBlank()) {
      throw new SandboxException(400, "invalid_request", "The X-Merchant-ID header is required");
    }
    if (!merchant.equals(config.merchantId())) {
      throw new SandboxException(403, "permission_error", "This API key does not belong to merchant '" + merchant + "'");
    }
  }

  private static String idempotencyKey(HttpExchange exchange) {
    String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
    if (key == null || key.isBlank() || key.length() > 255) {
      throw new SandboxException(400, "invalid_request", "Every POST needs an Idempotency-Key header (1 to 255 characters)");
    }
    return key;
  }

  private static void requireMethod(String actual, String expected) {
    if (!actual.equals(expected)) {
      throw new SandboxException(405, "invalid_request", "Use " + expected + " here, not " + actual);
    }
  }
}
