package io.tabletap.server.payment.payconic;

import io.tabletap.server.config.Secret;
import java.util.List;

/**
 * Masks secret values in text that came from outside (a provider's error message, an exception's
 * message) before it goes into a log line or an exception. A provider that echoes our API key back
 * must not make us log it.
 */
final class Redactor {
  static final String MASK = "****";
  private final List<String> secrets;

  Redactor(List<Secret> secrets) {
    this.secrets = secrets.stream().map(Secret::reveal).filter(s -> !s.isEmpty()).toList();
  }

  String redact(String text) {
    if (text == null) {
      return null;
    }
    String result = text;
    for (String secret : secrets) {
      result = result.replace(secret, MASK);
    }
    return result;
  }
}
