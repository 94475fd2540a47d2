package io.tabletap.server.device;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Persistence of devices; tokens are only ever handed over as their hash. */
public interface DeviceStore {
  void insert(Device device, String tokenHash);

  /** The device whose token has this hash, revoked or not. */
  Optional<Device> findByTokenHash(String tokenHash);

  List<Device> list(String cafeId);

  boolean anyActive(String cafeId, Role role);

  Optional<Device> find(UUID id);

  /** Sets {@code revoked_at} if it is not set yet; false if the device was revoked already. */
  boolean revoke(UUID id, java.time.Instant at);
}
