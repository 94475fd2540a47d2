package io.tabletap.server.realtime;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The seed's state shapes, as the {@link RealTimeStateManager} keeps and sends them (docs/protocol.md). */
public final class States {
  private States() {}

  /**
   * @param paymentStatus the status of the order's newest payment, or null if it has none
   * @param queuePosition 1 = next to be cooked; null when the order is not waiting for the kitchen
   * @param estimatedReadyTime when it should be ready, or null
   * @param kitchenStatus QUEUED (paid), PREPARING, READY, or null
   */
  public record OrderState(UUID orderId, int orderNumber, String status, String paymentStatus, Integer queuePosition,
      Instant estimatedReadyTime, String kitchenStatus, Instant lastUpdated) {}

  public record PaymentState(UUID paymentId, UUID orderId, String status, long amount, long refunded, String currency,
      String paymentMethod, String gatewayTransactionId, String errorMessage, Instant lastUpdated) {}

  /**
   * One order on the kitchen screen.
   *
   * @param createdAt when the order was taken (shown, not used for the order of the queue)
   * @param queuedAt when the order took its status: with status and order number, where it goes in
   *     the queue (decision 0028)
   */
  public record KitchenOrder(UUID orderId, int orderNumber, String status, String type, String table, List<Views.Item> items,
      Instant createdAt, Instant queuedAt, int queuePosition, long estimatedWaitTime) {}

  /**
   * @param completedOrders ids of the orders that are READY (bumped, not yet collected), in the order
   *     they became READY
   * @param lastUpdated when the display last changed
   * @param averagePreparationTime seconds, measured over the last orders (start, or payment, to READY)
   * @param currentLoad 0–100: active orders against {@link RealTimeStateManager#KITCHEN_CAPACITY}
   */
  public record KitchenDisplayState(String cafeId, List<KitchenOrder> activeOrders, List<UUID> completedOrders,
      long averagePreparationTime, int currentLoad, Instant lastUpdated) {}

  /**
   * What {@code kitchen_display_updated} carries: one order's change and the display's new totals
   * (decision 0017). A client that holds a snapshot of the kitchen room applies these in order and
   * has the display the server has (docs/protocol.md, "Kitchen display").
   *
   * @param status the order's new status: PAID or IN_PREPARATION (it is in the queue, as {@code
   *     order}), READY (it left the queue for the completed ones), anything else (it left the display)
   * @param order the order as the queue now shows it, or null when it is not in the queue
   * @param activeCount how many orders are in the queue, {@code completedCount} how many are READY:
   *     a client whose counts differ missed something and should ask for a snapshot
   */
  public record KitchenDisplayChange(String cafeId, UUID orderId, int orderNumber, String status, KitchenOrder order,
      int activeCount, int completedCount, long averagePreparationTime, int currentLoad, Instant lastUpdated) {}

  /** Sent to {@code order:{id}} when an order's place in the kitchen queue changes. */
  public record QueuePosition(UUID orderId, int orderNumber, int position, long estimatedWaitTime, Instant estimatedReadyTime) {}
}
