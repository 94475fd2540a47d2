package io.tabletap.server.device;

import java.time.Instant;
import java.util.UUID;

/**
 * A six-digit code a new device trades for its token, once, within its lifetime.
 *
 * @param creatorRole the role of the device that asked for it: a CASHIER's code cannot pair an ADMIN
 * @param failedAttempts wrong guesses made while this code was live; at {@link PairingService#MAX_FAILED_ATTEMPTS} it is burnt
 */
public record PairingCode(
    UUID id, String cafeId, String code, UUID createdBy, Role creatorRole, Instant createdAt, Instant expiresAt,
    int failedAttempts, Instant usedAt) {}
