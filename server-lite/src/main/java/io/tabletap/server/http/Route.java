package io.tabletap.server.http;

import io.tabletap.server.device.Role;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A method, a path pattern such as {@code /api/orders/{id}/transitions}, the roles allowed to call
 * it (empty: public, no token needed) and the handler.
 */
public record Route(String method, String pattern, Set<Role> roles, Handler handler) {

  public Route {
    roles = roles.isEmpty() ? EnumSet.noneOf(Role.class) : EnumSet.copyOf(roles);
  }

  public boolean isPublic() {
    return roles.isEmpty();
  }

  /** Whether this route expects a request body (and so a JSON content type). */
  public boolean takesBody() {
    return method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
  }

  /** The path parameters if {@code path} fits the pattern. */
  public Optional<Map<String, String>> match(String path) {
    List<String> want = List.of(pattern.substring(1).split("/", -1));
    List<String> have = List.of(path.substring(1).split("/", -1));
    if (want.size() != have.size()) {
      return Optional.empty();
    }
    Map<String, String> params = new HashMap<>();
    for (int i = 0; i < want.size(); i++) {
      String segment = want.get(i);
      if (segment.startsWith("{") && segment.endsWith("}")) {
        if (have.get(i).isEmpty()) {
          return Optional.empty();
        }
        params.put(segment.substring(1, segment.length() - 1), have.get(i));
      } else if (!segment.equals(have.get(i))) {
        return Optional.empty();
      }
    }
    return Optional.of(params);
  }
}
