package io.tabletap.server.realtime;

import io.tabletap.server.device.AccessDeniedException;
import io.tabletap.server.device.Device;
import io.tabletap.server.device.Role;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiPredicate;

/**
 * Who may join which room:
 *
 * <table>
 *   <tr><th>room</th><th>who</th></tr>
 *   <tr><td>{@code cafe:{id}}, {@code cafe:{id}:board}</td><td>every device of that cafe</td></tr>
 *   <tr><td>{@code cafe:{id}:staff}</td><td>CASHIER, ADMIN of that cafe</td></tr>
 *   <tr><td>{@code cafe:{id}:kitchen}</td><td>KITCHEN, CASHIER, ADMIN of that cafe</td></tr>
 *   <tr><td>{@code order:{id}}</td><td>every device of the order's cafe</td></tr>
 *   <tr><td>{@code payment:{id}}</td><td>CASHIER, ADMIN of the payment's cafe</td></tr>
 *   <tr><td>{@code flow:{id}}</td><td>CASHIER, ADMIN (the room is the device's cafe's)</td></tr>
 * </table>
 *
 * <p>An order or payment of another cafe is refused exactly like one that does not exist, so the
 * answer tells nothing about other cafes.
 */
public final class RoomPolicy {
  private static final Set<Role> STAFF = EnumSet.of(Role.CASHIER, Role.ADMIN);
  private static final Set<Role> KITCHEN = EnumSet.of(Role.KITCHEN, Role.CASHIER, Role.ADMIN);

  private final BiPredicate<String, UUID> orderInCafe;
  private final BiPredicate<String, UUID> paymentInCafe;

  /**
   * @param orderInCafe whether an order of this id exists in this cafe
   * @param paymentInCafe whether a payment of this id exists in this cafe
   */
  public RoomPolicy(BiPredicate<String, UUID> orderInCafe, BiPredicate<String, UUID> paymentInCafe) {
    this.orderInCafe = orderInCafe;
    this.paymentInCafe = paymentInCafe;
  }

  /**
   * The key of {@code room} for {@code device}.
   *
   * @throws AccessDeniedException if the device may not join it
   */
  public RoomKey admit(Device device, Room room) {
    String cafe = device.cafeId();
    Role role = device.role();
    boolean allowed = switch (room.kind()) {
      case CAFE, BOARD -> cafe.equals(room.cafeId());
      case STAFF -> cafe.equals(room.cafeId()) && STAFF.contains(role);
      case KITCHEN -> cafe.equals(room.cafeId()) && KITCHEN.contains(role);
      case ORDER -> orderInCafe.test(cafe, UUID.fromString(room.id()));
      case PAYMENT -> STAFF.contains(role) && paymentInCafe.test(cafe, UUID.fromString(room.id()));
      case FLOW -> STAFF.contains(role);
    };
    if (!allowed) {
      boolean otherCafe = room.cafeId() != null && !cafe.equals(room.cafeId());
      throw new AccessDeniedException(otherCafe ? room.name() + " belongs to another cafe; a device joins its own cafe's rooms only"
          : "A " + role + " device of this cafe may not join " + room.name());
    }
    return new RoomKey(cafe, room.name());
  }
}
