package io.tabletap.server.ws;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import io.tabletap.server.device.AccessDeniedException;
import io.tabletap.server.device.Device;
import io.tabletap.server.device.DeviceService;
import io.tabletap.server.json.Json;
import io.tabletap.server.realtime.Commands;
import io.tabletap.server.realtime.Frames;
import io.tabletap.server.realtime.Room;
import io.tabletap.server.realtime.RoomHub;
import io.tabletap.server.realtime.RoomKey;
import io.tabletap.server.realtime.RoomPolicy;
import java.time.Clock;
import java.util.Optional;

/**
 * What the server does with each client frame (docs/protocol.md): {@code auth}, {@code ping},
 * {@code subscribe}, {@code unsubscribe}, {@code command}. A frame that is not JSON, not an object,
 * of an unknown type or missing a field gets an {@code error} frame and counts as bad; after the
 * limit the connection is closed with 4400. Runs on the connection's serial worker.
 */
final class FrameHandler {
  static final int MAX_COMMAND_ID_LENGTH = 64;
  private final DeviceService devices;
  private final RoomPolicy policy;
  private final RoomHub hub;
  private final Commands commands;
  private final Clock clock;
  private final int badFrameLimit;

  FrameHandler(DeviceService devices, RoomPolicy policy, RoomHub hub, Commands commands, Clock clock, int badFrameLimit) {
    this.devices = devices;
    this.policy = policy;
    this.hub = hub;
    this.commands = commands;
    this.clock = clock;
    this.badFrameLimit = badFrameLimit;
  }

  /** The client's first frame may not carry a token yet; a device of the upgrade's header may. */
  void authenticate(Connection c, String token) {
    Optional<Device> device = devices.authenticate(token);
    if (device.isEmpty()) {
      c.send(Frames.error("unauthorized", "The device token is unknown or revoked", null));
      c.close(CloseCodes.UNAUTHENTICATED, "The device token is unknown or revoked");
      return;
    }
    c.authenticated(device.get());
    c.send(Frames.ready(device.get()));
  }

  void handle(Connection c, String text) {
    JsonNode frame;
    try {
      frame = Json.mapper().readTree(text);
    } catch (JacksonException e) {
      bad(c, "malformed_json", "A frame must be one JSON object");
      return;
    }
    if (frame == null || !frame.isObject()) {
      bad(c, "malformed_json", "A frame must be one JSON object");
      return;
    }
    JsonNode type = frame.get("type");
    if (type == null || !type.isTextual()) {
      bad(c, "invalid_frame", "A frame needs a \"type\"");
      return;
    }
    switch (type.asText()) {
      case "auth" -> auth(c, frame);
      case "ping" -> c.send(Frames.pong(clock.instant()));
      case "subscribe" -> { if (authenticated(c)) subscribe(c, frame); }
      case "unsubscribe" -> { if (authenticated(c)) unsubscribe(c, frame); }
      case "command" -> { if (authenticated(c)) command(c, frame); }
      default -> bad(c, "unknown_type", "Unknown frame type '" + abbreviate(type.asText()) + "'");
    }
  }

  void binary(Connection c) {
    bad(c, "malformed_json", "Frames are JSON text, not binary");
  }

  private void auth(Connection c, JsonNode frame) {
    if (c.isAuthenticated()) {
      c.send(Frames.error("already_authenticated", "This connection is authenticated already", null));
      return;
    }
    JsonNode token = frame.get("token");
    if (token == null || !token.isTextual()) {
      bad(c, "invalid_frame", "auth needs a \"token\"");
      return;
    }
    authenticate(c, token.asText());
  }

  private boolean authenticated(Connection c) {
    if (!c.isAuthenticated()) {
      bad(c, "unauthenticated", "Authenticate first: {\"type\":\"auth\",\"token\":\"…\"}");
      return false;
    }
    return true;
  }

  private void subscribe(Connection c, JsonNode frame) {
    Optional<Room> room = room(c, frame);
    if (room.isEmpty()) {
      return;
    }
    JsonNode since = frame.get("since");
    if (since != null && !since.isNull() && !(since.isIntegralNumber() && since.canConvertToLong() && since.asLong() >= 0)) {
      bad(c, "invalid_frame", "since must be a sequence number (0 or more)");
      return;
    }
    RoomKey key;
    try {
      key = policy.admit(c.device(), room.get());
    } catch (AccessDeniedException e) {
      c.send(Frames.error("forbidden", e.getMessage(), room.get().name()));
      return;
    }
    try {
      hub.subscribe(c, key, since == null || since.isNull() ? null : since.asLong());
    } catch (RoomHub.TooManyRoomsException e) {
      c.send(Frames.error("too_many_rooms", e.getMessage(), room.get().name()));
    }
  }

  /** Commands: {@code {"type":"command","id","name","payload"}} answered by a {@code result}. */
  private void command(Connection c, JsonNode frame) {
    if (commands == null) {
      bad(c, "unknown_type", "This server takes no commands");
      return;
    }
    JsonNode id = frame.get("id");
    JsonNode name = frame.get("name");
    JsonNode payload = frame.get("payload");
    if (id == null || !id.isTextual() || !id.asText().matches("[A-Za-z0-9_.:-]{1," + MAX_COMMAND_ID_LENGTH + "}")) {
      bad(c, "invalid_frame", "A command needs an \"id\" of 1 to " + MAX_COMMAND_ID_LENGTH + " letters, digits, '_', '.', ':' or '-'");
      return;
    }
    if (name == null || !name.isTextual()) {
      bad(c, "invalid_frame", "A command needs a \"name\"");
      return;
    }
    if (payload != null && !payload.isNull() && !payload.isObject()) {
      bad(c, "invalid_frame", "A command's payload is a JSON object");
      return;
    }
    Commands.Result result = commands.run(c.device(), id.asText(), name.asText(),
        payload == null || payload.isNull() ? Json.mapper().createObjectNode() : payload);
    c.send(Frames.result(id.asText(), result.ok(), result.body()));
  }

  private void unsubscribe(Connection c, JsonNode frame) {
    Optional<Room> room = room(c, frame);
    if (room.isEmpty()) {
      return;
    }
    hub.roomsOf(c).stream().filter(k -> k.room().equals(room.get().name())).findFirst().ifPresent(k -> hub.unsubscribe(c, k));
    c.send(Frames.unsubscribed(room.get().name()));
  }

  private Optional<Room> room(Connection c, JsonNode frame) {
    JsonNode name = frame.get("room");
    if (name == null || !name.isTextual()) {
      bad(c, "invalid_frame", "This frame needs a \"room\"");
      return Optional.empty();
    }
    Optional<Room> room = Room.parse(name.asText());
    if (room.isEmpty()) {
      bad(c, "unknown_room", "No such room '" + abbreviate(name.asText()) + "'");
    }
    return room;
  }

  /** Answers a bad frame and closes the connection once it sent too many. */
  void bad(Connection c, String code, String message) {
    c.send(Frames.error(code, message, null));
    if (c.badFrame() >= badFrameLimit) {
      c.close(CloseCodes.BAD_FRAMES, "Too many bad frames");
    }
  }

  private static String abbreviate(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }
}
