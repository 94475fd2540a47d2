package io.tabletap.server.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.tabletap.server.device.Device;

/** Runs the commands clients send over the socket (docs/protocol.md, "Commands"). */
public interface Commands {

  /**
   * Runs command {@code name} for {@code device}, or returns the first result if this device sent
   * {@code commandId} before. Never throws: a refusal is a result with {@code ok} false. The
   * result is returned only once the command's effect and the result itself are committed.
   */
  Result run(Device device, String commandId, String name, JsonNode payload);

  /**
   * @param body the data when ok, else an {@link Error}
   */
  record Result(boolean ok, Object body) {}

  record Error(String code, String message, Object details) {}
}
