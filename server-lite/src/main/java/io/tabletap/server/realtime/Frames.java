package io.tabletap.server.realtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.tabletap.server.device.Device;
import io.tabletap.server.json.Json;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The server's frames as JSON text; docs/protocol.md describes each. */
public final class Frames {
  /**
   * Times in frames: UTC, always with milliseconds ({@code 2026-11-27T03:12:11.949Z}). {@code
   * Instant.toString} gave as many digits as the instant had (none, 3, 6 or 9), so a replayed event
   * (its time read back from H2) could read differently from the same event live.
   */
  static final DateTimeFormatter AT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private Frames() {}

  public static String ready(Device device) {
    ObjectNode frame = frame("ready");
    frame.put("deviceId", device.id().toString());
    frame.put("role", device.role().name());
    frame.put("cafeId", device.cafeId());
    frame.put("name", device.name());
    return text(frame);
  }

  public static String subscribed(String room, long seq) {
    ObjectNode frame = frame("subscribed");
    frame.put("room", room);
    frame.put("seq", seq);
    return text(frame);
  }

  public static String unsubscribed(String room) {
    ObjectNode frame = frame("unsubscribed");
    frame.put("room", room);
    return text(frame);
  }

  public static String event(LoggedEvent event) {
    ObjectNode frame = frame("event");
    frame.put("room", event.room().room());
    frame.put("seq", event.seq());
    frame.put("event", event.event());
    frame.putRawValue("data", new RawValue(event.dataJson()));
    frame.put("at", AT.format(event.at()));
    return text(frame);
  }

  public static String snapshot(String room, long seq, Object state) {
    ObjectNode frame = frame("snapshot");
    frame.put("room", room);
    frame.put("seq", seq);
    frame.set("state", Json.mapper().valueToTree(state));
    return text(frame);
  }

  /** @param room the room the error is about, or null */
  public static String error(String code, String message, String room) {
    ObjectNode frame = frame("error");
    frame.put("code", code);
    frame.put("message", message);
    if (room != null) {
      frame.put("room", room);
    }
    return text(frame);
  }

  public static String pong(Instant at) {
    ObjectNode frame = frame("pong");
    frame.put("at", AT.format(at));
    return text(frame);
  }

  /** The result of a command: {@code {"type":"result","id","ok","data"|"error"}}. */
  public static String result(String id, boolean ok, Object dataOrError) {
    ObjectNode frame = frame("result");
    frame.put("id", id);
    frame.put("ok", ok);
    frame.set(ok ? "data" : "error", Json.mapper().valueToTree(dataOrError));
    return text(frame);
  }

  /** Any value as compact JSON. */
  public static String json(Object value) {
    try {
      return Json.mapper().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ObjectNode frame(String type) {
    ObjectNode frame = Json.mapper().createObjectNode();
    frame.put("type", type);
    return frame;
  }

  private static String text(ObjectNode frame) {
    return json(frame);
  }
}
