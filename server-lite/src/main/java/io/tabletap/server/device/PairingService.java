package io.tabletap.server.device;

import io.tabletap.server.domain.ValidationException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * Pairing a new terminal without typing a 43-character token: an ADMIN or CASHIER asks for a
 * six-digit code (valid 10 minutes on the injected clock, single use); the new device sends the
 * code with its role and name and gets its own token.
 *
 * <p>A million codes are few, so guessing is bounded: every wrong guess counts against every live
 * code, and a code with {@value #MAX_FAILED_ATTEMPTS} wrong guesses against it is burnt. A guesser
 * thus has at most five tries per code; the price is that a guesser can burn codes (ask for a new
 * one). See docs/decisions/0015-device-pairing.md.
 */
public final class PairingService {
  public static final Duration LIFETIME = Duration.ofMinutes(10);
  public static final int MAX_FAILED_ATTEMPTS = 5;
  private static final int DRAWS = 20;

  private final PairingStore store;
  private final DeviceService devices;
  private final SecureRandom random;
  private final Clock clock;

  public PairingService(PairingStore store, DeviceService devices, SecureRandom random, Clock clock) {
    this.store = store;
    this.devices = devices;
    this.random = random;
    this.clock = clock;
  }

  /**
   * A new code for {@code creator}'s cafe, different from every other live code.
   *
   * @throws AccessDeniedException unless the creator is an ADMIN or CASHIER
   */
  public PairingCode issue(Device creator) {
    if (creator.role() != Role.ADMIN && creator.role() != Role.CASHIER) {
      throw new AccessDeniedException("A " + creator.role() + " device may not pair devices");
    }
    Instant now = now();
    for (int i = 0; i < DRAWS; i++) {
      String digits = String.format("%06d", random.nextInt(1_000_000));
      if (store.findLive(digits, now, MAX_FAILED_ATTEMPTS).isEmpty()) {
        PairingCode code = new PairingCode(UUID.randomUUID(), creator.cafeId(), digits, creator.id(), creator.role(), now,
            now.plus(LIFETIME), 0, null);
        store.insert(code);
        return code;
      }
    }
    throw new IllegalStateException("No free pairing code after " + DRAWS + " draws");
  }

  /**
   * Trades a live code for a new device of the code's cafe.
   *
   * @throws ValidationException if the code is not six digits, the role missing or the name bad
   *     (nothing is counted against live codes)
   * @throws PairingRefusedException if no live code has these digits (counted as a wrong guess)
   * @throws AccessDeniedException if a CASHIER's code is used to pair an ADMIN (the code stays live)
   */
  public DeviceService.Issued pair(String code, Role role, String name) {
    if (code == null || !code.matches("[0-9]{6}")) {
      throw ValidationException.of("code", "bad_pairing_code", "A pairing code is six digits");
    }
    if (role == null) {
      throw ValidationException.of("role", "role_required", "Say which role the new device has");
    }
    String trimmed = name == null ? "" : name.strip();
    if (trimmed.isEmpty() || trimmed.length() > DeviceService.MAX_NAME_LENGTH) {
      throw ValidationException.of("name", "bad_name", "A device name has 1 to " + DeviceService.MAX_NAME_LENGTH + " characters");
    }
    Instant now = now();
    PairingCode live = store.findLive(code, now, MAX_FAILED_ATTEMPTS).orElse(null);
    if (live == null) {
      store.countFailure(now, MAX_FAILED_ATTEMPTS);
      throw new PairingRefusedException();
    }
    if (role == Role.ADMIN && live.creatorRole() != Role.ADMIN) {
      throw new AccessDeniedException("Only a code from an ADMIN device can pair an ADMIN device");
    }
    if (!store.consume(live.id(), now, MAX_FAILED_ATTEMPTS)) {
      throw new PairingRefusedException();
    }
    DeviceService.Issued issued = devices.create(live.cafeId(), role, trimmed);
    store.linkDevice(live.id(), issued.device().id());
    return issued;
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
