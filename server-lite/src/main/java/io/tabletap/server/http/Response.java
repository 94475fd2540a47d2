package io.tabletap.server.http;

import java.util.Map;

/** A status, a body to send as JSON (or null for none) and extra headers. */
public record Response(int status, Object body, Map<String, String> headers) {
  public static Response ok(Object body) {
    return new Response(200, body, Map.of());
  }

  public static Response created(Object body, String location) {
    return new Response(201, body, Map.of("Location", location));
  }

  public static Response of(int status, Object body) {
    return new Response(status, body, Map.of());
  }
}
