package io.tabletap.server.inbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * When to tell the operator, in the log, that webhooks are being refused: the first refusal of a
 * provider and reason, then at most one line a minute with how many more there were. A secret that
 * no longer matches (a rotation done on one side only) refuses every delivery while the provider
 * retries for days and payments stay pending; each refusal is in the audit log, but nobody reads
 * that until the till shows unpaid orders. One line a minute also keeps a flood of forged
 * deliveries from flooding the log. Thread-safe.
 */
final class RefusalWarnings {
  static final Duration EVERY = Duration.ofMinutes(1);

  private final Clock clock;
  /** Per provider and reason: when the next line may be written, and the refusals not yet told. */
  private final Map<String, Window> windows = new HashMap<>();

  private static final class Window {
    Instant next;
    long untold;
  }

  RefusalWarnings(Clock clock) {
    this.clock = clock;
  }

  /** The line to log for this refusal, or empty if one was logged less than {@link #EVERY} ago. */
  synchronized Optional<String> refused(String provider, String reason) {
    Instant now = clock.instant();
    Window window = windows.computeIfAbsent(provider + "\u0000" + reason, k -> new Window());
    if (window.next != null && now.isBefore(window.next)) {
      window.untold++;
      return Optional.empty();
    }
    long untold = window.untold;
    window.next = now.plus(EVERY);
    window.untold = 0;
    return Optional.of("Refused a " + provider + " webhook (" + reason + ")"
        + (untold > 0 ? "; " + untold + " more refused for that reason in the last minute or so" : "")
        + ". If every delivery is refused, this server's webhook secret and the provider's differ;"
        + " each refusal is in the audit log (webhook.rejected).");
  }
}
