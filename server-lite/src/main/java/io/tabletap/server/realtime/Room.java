package io.tabletap.server.realtime;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A room name a client subscribes to, parsed: {@code cafe:{id}}, {@code cafe:{id}:staff}, {@code
 * cafe:{id}:kitchen}, {@code cafe:{id}:board}, {@code order:{uuid}}, {@code payment:{uuid}}, {@code
 * flow:{id}}. Who may join which is {@link RoomPolicy}'s business.
 *
 * @param cafeId the cafe named in a cafe room, null for the others (their cafe is the owner's)
 * @param id the order, payment or flow id, null for cafe rooms
 */
public record Room(String name, Kind kind, String cafeId, String id) {
  public static final int MAX_NAME_LENGTH = 120;
  private static final Pattern CAFE = Pattern.compile("cafe:([A-Za-z0-9_-]{1,64})(?::(staff|kitchen|board))?");
  private static final Pattern ENTITY = Pattern.compile("(order|payment|flow):([A-Za-z0-9_-]{1,64})");

  public enum Kind { CAFE, STAFF, KITCHEN, BOARD, ORDER, PAYMENT, FLOW }

  /** The room {@code name} denotes, or empty if it is no room name at all. */
  public static Optional<Room> parse(String name) {
    if (name == null || name.length() > MAX_NAME_LENGTH) {
      return Optional.empty();
    }
    Matcher cafe = CAFE.matcher(name);
    if (cafe.matches()) {
      Kind kind = cafe.group(2) == null ? Kind.CAFE : Kind.valueOf(cafe.group(2).toUpperCase(java.util.Locale.ROOT));
      return Optional.of(new Room(name, kind, cafe.group(1), null));
    }
    Matcher entity = ENTITY.matcher(name);
    if (!entity.matches()) {
      return Optional.empty();
    }
    Kind kind = Kind.valueOf(entity.group(1).toUpperCase(java.util.Locale.ROOT));
    if (kind != Kind.FLOW && !isUuid(entity.group(2))) {
      return Optional.empty();
    }
    return Optional.of(new Room(name, kind, null, entity.group(2)));
  }

  public static String cafe(String cafeId) {
    return "cafe:" + cafeId;
  }

  public static String staff(String cafeId) {
    return "cafe:" + cafeId + ":staff";
  }

  public static String kitchen(String cafeId) {
    return "cafe:" + cafeId + ":kitchen";
  }

  public static String board(String cafeId) {
    return "cafe:" + cafeId + ":board";
  }

  public static String order(UUID orderId) {
    return "order:" + orderId;
  }

  public static String payment(UUID paymentId) {
    return "payment:" + paymentId;
  }

  public static String flow(String flowId) {
    return "flow:" + flowId;
  }

  private static boolean isUuid(String s) {
    try {
      return UUID.fromString(s).toString().equalsIgnoreCase(s);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
