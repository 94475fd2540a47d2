package io.tabletap.server.domain;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.UUID;

/**
 * Version 7 UUIDs (RFC 9562): the millisecond they were made in the top 48 bits, then 74 random
 * bits. For the ids of rows made at volume (orders, payments, jobs and so webhooks): ids made
 * close in time sort close together, so every index keyed by one (a room's name, an audit row's
 * subject, its dedupe key) takes new entries at a few pages near its end instead of at a random
 * page each, and a commit rewrites those few (docs/decisions/0027). Still unguessable: 74 bits
 * from a {@link SecureRandom}, as {@link UUID#randomUUID()}'s 122.
 */
public final class TimeOrderedIds {
  private static final SecureRandom RANDOM = new SecureRandom();

  private TimeOrderedIds() {}

  /** A new id made at {@code at} (the caller's clock, so tests can set it). */
  public static UUID next(Instant at) {
    long millis = at.toEpochMilli();
    if (millis < 0 || millis >= 1L << 48) {
      throw new IllegalArgumentException("A version 7 UUID cannot carry " + at);
    }
    byte[] random = new byte[10];
    RANDOM.nextBytes(random);
    long high = millis << 16 | 0x7000L | (random[0] & 0x0fL) << 8 | (random[1] & 0xffL);
    long low = 0x8000_0000_0000_0000L | (random[2] & 0x3fL) << 56;
    for (int i = 3; i < 10; i++) {
      low |= (random[i] & 0xffL) << (8 * (9 - i));
    }
    return new UUID(high, low);
  }

  /** When {@code id} was made, for a version 7 UUID. */
  public static Instant madeAt(UUID id) {
    if (id.version() != 7) {
      throw new IllegalArgumentException(id + " is not a version 7 UUID");
    }
    return Instant.ofEpochMilli(id.getMostSignificantBits() >>> 16);
  }
}
