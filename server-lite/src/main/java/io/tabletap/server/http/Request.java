package io.tabletap.server.http;

import io.tabletap.server.errors.ApiException;
import com.fasterxml.jackson.databind.ObjectReader;
import io.tabletap.server.device.Device;
import io.tabletap.server.domain.FieldError;
import io.tabletap.server.json.Json;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a handler sees of a request: checked already for route, auth, role, content type and size.
 *
 * @param device the caller, or null on a public route
 */
public record Request(
    String method, String path, Map<String, String> pathParams, Map<String, List<String>> query,
    Map<String, List<String>> headers, byte[] body, Device device) {

  public String pathParam(String name) {
    return pathParams.get(name);
  }

  public Optional<String> queryParam(String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(values.size() - 1));
  }

  /** The first value of a header, names compared without case. */
  public Optional<String> header(String name) {
    return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
        .flatMap(e -> e.getValue().stream()).findFirst();
  }

  /**
   * The body as {@code type}. An empty body is refused as malformed (400); a JSON {@code null}, like
   * any other value of the wrong shape, as invalid (422 with a field error for {@code body}).
   */
  public <T> T bodyAs(Class<T> type) throws IOException {
    if (body.length == 0) {
      throw new ApiException(400, "malformed_json", "The request needs a JSON body");
    }
    ObjectReader reader = Json.mapper().readerFor(type);
    T value = reader.readValue(body);
    if (value == null) {
      String message = "The body must be a JSON object";
      throw new ApiException(422, "validation_failed", message, List.of(new FieldError("body", "invalid_value", message)));
    }
    return value;
  }
}
