package io.tabletap.server.domain;

/** The thing asked for does not exist, or is not visible to the caller (another cafe's order). */
public final class NotFoundException extends RuntimeException {
  public NotFoundException(String message) {
    super(message);
  }
}
