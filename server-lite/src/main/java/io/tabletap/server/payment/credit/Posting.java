package io.tabletap.server.payment.credit;

import java.util.Objects;

/**
 * Who asks for a ledger entry, why, and the key that makes a retry harmless.
 *
 * @param actor the device id (or the service) on whose behalf the entry is written; at most 64
 *     characters
 * @param reason shown on the statement; null or blank takes the kind's default, except for an
 *     adjustment, which must say why
 * @param idempotencyKey optional; a second entry with the same key on the same account returns the
 *     first entry and writes nothing
 */
public record Posting(String actor, String reason, String idempotencyKey) {
  public Posting {
    Objects.requireNonNull(actor, "actor");
    if (actor.isBlank() || actor.length() > 64) {
      throw new IllegalArgumentException("An actor is 1 to 64 characters");
    }
  }
}
