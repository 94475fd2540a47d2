package io.tabletap.server.device;

/** The caller is known but its role may not do this. */
public final class AccessDeniedException extends RuntimeException {
  public AccessDeniedException(String message) {
    super(message);
  }
}
