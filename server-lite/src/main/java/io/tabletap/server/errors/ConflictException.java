package io.tabletap.server.errors;

import java.util.Map;

/**
 * A refusal because of the current state of something (409), with a stable code, raised by a
 * package the error mapper should not depend on (the queue).
 */
public interface ConflictException {
  String code();

  String getMessage();

  Map<String, Object> details();
}
