package io.tabletap.server.device;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Persistence of pairing codes. "Live" means unused, unexpired at {@code now} and not burnt. */
public interface PairingStore {
  void insert(PairingCode code);

  /** The live code with these digits, if any. */
  Optional<PairingCode> findLive(String code, Instant now, int maxFailedAttempts);

  /** Marks a live code used; false if it is no longer live (someone else used it first). */
  boolean consume(UUID id, Instant now, int maxFailedAttempts);

  /** Records the device a used code paired. */
  void linkDevice(UUID id, UUID deviceId);

  /** Counts one wrong guess against every live code; returns how many codes it counted against. */
  int countFailure(Instant now, int maxFailedAttempts);
}
