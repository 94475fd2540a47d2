package io.tabletap.server.device;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Creates devices with their tokens and recognises a token on each request. */
public final class DeviceService {
  /** Long enough for "Kitchen monitor by the pass"; short enough for a screen. */
  public static final int MAX_NAME_LENGTH = 60;

  private final DeviceStore store;
  private final TokenHasher tokens;
  private final Clock clock;

  public DeviceService(DeviceStore store, TokenHasher tokens, Clock clock) {
    this.store = store;
    this.tokens = tokens;
    this.clock = clock;
  }

  /** A new device and its token; the token is shown this once and never stored. */
  public record Issued(Device device, String token) {}

  public Issued create(String cafeId, Role role, String name) {
    String trimmed = name == null ? "" : name.strip();
    if (trimmed.isEmpty() || trimmed.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException("A device name needs 1 to " + MAX_NAME_LENGTH + " characters");
    }
    String token = tokens.newToken();
    Device device = new Device(UUID.randomUUID(), cafeId, trimmed, role, clock.instant(), null);
    store.insert(device, TokenHasher.hash(token));
    return new Issued(device, token);
  }

  /** The active device holding this token, if any. */
  public Optional<Device> authenticate(String token) {
    if (token == null || !token.startsWith(TokenHasher.PREFIX) || token.length() > 200) {
      return Optional.empty();
    }
    return store.findByTokenHash(TokenHasher.hash(token)).filter(d -> !d.isRevoked());
  }

  public List<Device> list(String cafeId) {
    return store.list(cafeId);
  }

  /**
   * Revokes a device of {@code admin}'s cafe: its token stops working at once. Revoking a revoked
   * device changes nothing. The caller closes the device's open connections.
   *
   * @return the device as it is now (revoked)
   * @throws io.tabletap.server.domain.NotFoundException if the cafe has no such device
   * @throws AccessDeniedException unless {@code admin} is an ADMIN, or if it names itself
   */
  public Device revoke(Device admin, UUID deviceId) {
    if (admin.role() != Role.ADMIN) {
      throw new AccessDeniedException("Only an ADMIN device may revoke devices");
    }
    if (admin.id().equals(deviceId)) {
      throw new AccessDeniedException("A device cannot revoke itself; use another ADMIN device");
    }
    Device device = store.find(deviceId).filter(d -> d.cafeId().equals(admin.cafeId()))
        .orElseThrow(() -> new io.tabletap.server.domain.NotFoundException("No device " + deviceId));
    store.revoke(deviceId, clock.instant());
    return store.find(deviceId).orElse(device);
  }

  /** Creates the first ADMIN of a cafe, unless it already has an active one. */
  public Optional<Issued> ensureAdmin(String cafeId) {
    if (store.anyActive(cafeId, Role.ADMIN)) {
      return Optional.empty();
    }
    return Optional.of(create(cafeId, Role.ADMIN, "Admin (created on first start)"));
  }
}
