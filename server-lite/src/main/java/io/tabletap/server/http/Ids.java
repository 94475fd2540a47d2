package io.tabletap.server.http;

import io.tabletap.server.errors.ApiException;
import java.util.UUID;

/** Path ids: a malformed one names nothing, so it is a 404 like an unknown one. */
final class Ids {
  private Ids() {}

  static UUID uuid(Request request, String param, String what) {
    String raw = request.pathParam(param);
    try {
      return UUID.fromString(raw);
    } catch (IllegalArgumentException e) {
      throw new ApiException(404, "not_found", "No " + what + " '" + raw + "'");
    }
  }
}
