package io.tabletap.server.realtime;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** The first result of each command, per device and client-chosen command id. */
public interface CommandResultStore {
  /** @param json the result's {@code data} (ok) or {@code error} (not ok), as JSON */
  record Stored(String name, boolean ok, String json) {}

  Optional<Stored> find(UUID deviceId, String commandId);

  /** Stores a result; if one is stored already (a race), keeps that one and returns it. */
  Stored save(UUID deviceId, String commandId, Stored result, Instant at);
}
