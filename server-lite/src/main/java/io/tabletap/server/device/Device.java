package io.tabletap.server.device;

import java.time.Instant;
import java.util.UUID;

/** A paired terminal: a till, a kitchen monitor, a customer display. Never holds its token. */
public record Device(UUID id, String cafeId, String name, Role role, Instant createdAt, Instant revokedAt) {
  public boolean isRevoked() {
    return revokedAt != null;
  }
}
