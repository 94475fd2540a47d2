package io.tabletap.server.payment.payconic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.tabletap.server.json.Json;
import io.tabletap.server.payment.GatewayException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Payconic's JSON-over-HTTP API, one blocking call per method, on the calling thread.
 *
 * <p>Every request carries {@code Authorization: Bearer <api key>} and {@code X-Merchant-ID};
 * every POST an {@code Idempotency-Key}. A 2xx answer is returned as its JSON. Anything else is a
 * {@link GatewayException}: retryable for I/O errors and timeouts, 408, 429 and 5xx; permanent for
 * other answers, with the provider's own message. No message or log line holds the API key or a
 * webhook secret (see {@link Redactor}), nor a request or response body.
 */
final class PayconicClient {
  static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
  private static final int MAX_MESSAGE_LENGTH = 300;
  /** Longer answers are cut here (and then are not JSON): Payconic's are a few hundred bytes. */
  private static final long MAX_RESPONSE_BYTES = 1024 * 1024;
  private static final Logger log = LoggerFactory.getLogger(PayconicClient.class);

  private final OkHttpClient http;
  private final HttpUrl baseUrl;
  private final String authorization;
  private final String merchantId;
  private final Redactor redactor;

  /** @param http this gateway's own client, already built with its timeouts and interceptors */
  PayconicClient(OkHttpClient http, PayconicConfig config, Redactor redactor) {
    this.http = http;
    this.baseUrl = HttpUrl.get(config.baseUrl());
    this.authorization = "Bearer " + config.apiKey().reveal();
    this.merchantId = config.merchantId();
    this.redactor = redactor;
  }

  JsonNode get(String... pathSegments) {
    return execute(request(pathSegments).get().build());
  }

  /** @param idempotencyKey the same for every retry of one operation; required */
  JsonNode post(JsonNode body, String idempotencyKey, String... pathSegments) {
    if (idempotencyKey == null || idempotencyKey.isBlank()) {
      throw new IllegalArgumentException("A POST to Payconic needs an idempotency key");
    }
    byte[] bytes;
    try {
      bytes = Json.mapper().writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write a Payconic request", e);
    }
    return execute(request(pathSegments).header("Idempotency-Key", idempotencyKey)
        .post(RequestBody.create(bytes, JSON)).build());
  }

  private Request.Builder request(String... pathSegments) {
    HttpUrl.Builder url = baseUrl.newBuilder();
    for (String segment : pathSegments) {
      url.addPathSegment(segment);
    }
    return new Request.Builder().url(url.build())
        .header("Authorization", authorization)
        .header("X-Merchant-ID", merchantId)
        .header("Accept", "application/json");
  }

  private JsonNode execute(Request request) {
    String what = request.method() + " " + request.url().encodedPath();
    int code;
    String text;
    try (Response response = http.newCall(request).execute()) {
      code = response.code();
      text = response.peekBody(MAX_RESPONSE_BYTES).string();
    } catch (IOException e) {
      String message = "Payconic did not answer " + what + ": " + redactor.redact(e.toString());
      log.warn("{} (retryable)", message);
      throw new GatewayException(message, true, e);
    }
    if (code >= 200 && code < 300) {
      try {
        return Json.mapper().readTree(text);
      } catch (JsonProcessingException e) {
        // The call may have worked: a retry with the same idempotency key is harmless.
        String message = "Payconic answered " + what + " with " + code + " and a body that is not JSON";
        log.warn("{} (retryable)", message);
        throw new GatewayException(message, true);
      }
    }
    boolean retryable = code == 408 || code == 429 || code >= 500;
    String message = "Payconic refused " + what + " with " + code + ": " + providerMessage(text);
    log.warn("{} ({})", message, retryable ? "retryable" : "permanent");
    throw new GatewayException(message, retryable);
  }

  /** The message of a Payconic error body {@code {"error":{"type","message"}}}, or a short excerpt. */
  private String providerMessage(String text) {
    String message = null;
    try {
      JsonNode body = Json.mapper().readTree(text);
      JsonNode error = body == null ? null : body.get("error");
      List<String> parts = new ArrayList<>();
      if (error != null && error.isObject()) {
        addText(parts, error.get("type"));
        addText(parts, error.get("message"));
      } else if (body != null && body.isObject()) {
        addText(parts, error);
        addText(parts, body.get("message"));
      }
      message = parts.isEmpty() ? null : String.join(": ", parts);
    } catch (JsonProcessingException e) {
      // not JSON: use the text itself below
    }
    if (message == null) {
      message = text == null || text.isBlank() ? "no message" : text.strip();
    }
    message = redactor.redact(message).replaceAll("\\s+", " ");
    return message.length() > MAX_MESSAGE_LENGTH ? message.substring(0, MAX_MESSAGE_LENGTH) + "…" : message;
  }

  private static void addText(List<String> parts, JsonNode node) {
    if (node != null && node.isTextual() && !node.asText().isBlank()) {
      parts.add(node.asText());
    }
  }
}
