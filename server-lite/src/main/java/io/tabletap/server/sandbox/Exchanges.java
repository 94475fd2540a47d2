package io.tabletap.server.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.tabletap.server.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Reading and answering JDK {@code HttpExchange}s for the sandbox's handlers. */
final class Exchanges {
  static final int MAX_BODY_BYTES = 64 * 1024;

  private Exchanges() {}

  static byte[] body(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
      if (body.length > MAX_BODY_BYTES) {
        throw new SandboxException(413, "invalid_request", "The body is over " + MAX_BODY_BYTES + " bytes");
      }
      return body;
    }
  }

  /** @throws SandboxException 400 if the body is not one JSON value */
  static JsonNode json(HttpExchange exchange) throws IOException {
    byte[] body = body(exchange);
    try {
      JsonNode json = Json.mapper().readTree(body);
      if (json == null || !json.isObject()) {
        throw new SandboxException(400, "invalid_request", "The body must be a JSON object");
      }
      return json;
    } catch (JsonProcessingException e) {
      throw new SandboxException(400, "invalid_request", "The body is not JSON");
    }
  }

  static void sendJson(HttpExchange exchange, int status, JsonNode body, Map<String, String> headers) throws IOException {
    headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
    send(exchange, status, "application/json; charset=utf-8", Json.mapper().writeValueAsBytes(body));
  }

  static void sendError(HttpExchange exchange, SandboxException error) throws IOException {
    ObjectNode body = Json.mapper().createObjectNode();
    ObjectNode inner = body.putObject("error");
    inner.put("type", error.type);
    inner.put("message", error.getMessage());
    Map<String, String> headers = error.status == 401 ? Map.of("WWW-Authenticate", "Bearer") : Map.of();
    sendJson(exchange, error.status, body, headers);
  }

  static void sendHtml(HttpExchange exchange, int status, String html) throws IOException {
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    send(exchange, status, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
  }

  /** 303 See Other: after a form POST, the browser GETs {@code location}. */
  static void redirect(HttpExchange exchange, String location) throws IOException {
    exchange.getResponseHeaders().set("Location", location);
    exchange.sendResponseHeaders(303, -1);
  }

  private static void send(HttpExchange exchange, int status, String contentType, byte[] bytes) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** Text safe inside HTML elements and double-quoted attributes. */
  static String html(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder s = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '&' -> s.append("&amp;");
        case '<' -> s.append("&lt;");
        case '>' -> s.append("&gt;");
        case '"' -> s.append("&quot;");
        case '\'' -> s.append("&#39;");
        default -> s.append(c);
      }
    }
    return s.toString();
  }
}
