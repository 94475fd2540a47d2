package io.tabletap.server.store;

/** The database failed in a way the caller cannot fix (disk full, file locked, bug in SQL). */
public final class StoreException extends RuntimeException {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
