package io.tabletap.server.config;

/** A setting with a value we cannot use; the message names the setting and where it came from. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
