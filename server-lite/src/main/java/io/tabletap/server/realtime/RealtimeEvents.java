package io.tabletap.server.realtime;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The real-time events clients receive: stable names and their payloads, one record each
 * (docs/protocol.md, "Events"). Never rename one; add a new one.
 */
public final class RealtimeEvents {
  public static final String NEW_ORDER = "new_order";
  public static final String ORDER_STATE_CHANGED = "order_state_changed";
  public static final String NEW_PAID_ORDER = "new_paid_order";
  /** To the staff room: a provider notification failed for good; see the audit log. */
  public static final String WEBHOOK_FAILED = "webhook_failed";
  public record WebhookFailedAlert(java.util.UUID webhookId, String provider, String eventId, String eventType, String reason) {}
  public static final String PAID_ORDER_READY_FOR_PREPARATION = "paid_order_ready_for_preparation";
  public static final String ORDER_READY = "order_ready";
  public static final String ORDER_COLLECTED = "order_collected";
  public static final String PAYMENT_INITIATED = "payment_initiated";
  public static final String PAYMENT_STATUS_UPDATED = "payment_status_updated";
  public static final String PAYMENT_UPDATE = "payment_update";
  public static final String ORDER_RECALLED = "order_recalled";
  public static final String KITCHEN_DISPLAY_UPDATED = "kitchen_display_updated";
  public static final String QUEUE_POSITION_UPDATED = "queue_position_updated";
  /** To {@code flow:{flowId}}: a job of the flow was claimed and its handler starts. */
  public static final String JOB_STARTED = "job_started";
  /** To {@code flow:{flowId}}: a job of the flow reported how far it got (0 to 100). */
  public static final String JOB_PROGRESS = "job_progress";
  /** To {@code flow:{flowId}}: a job of the flow completed. */
  public static final String JOB_COMPLETED = "job_completed";
  /** To {@code flow:{flowId}}: an attempt of a job of the flow failed; another follows at {@code retryAt}. */
  public static final String JOB_RETRYING = "job_retrying";
  /** To {@code flow:{flowId}} and the staff room: a job of the flow failed for good. */
  public static final String JOB_FAILED = "job_failed";
  /** To {@code flow:{flowId}}: a step of the flow completed. */
  public static final String STEP_COMPLETED = "step_completed";
  /** To {@code flow:{flowId}}: every step of the flow completed. */
  public static final String FLOW_COMPLETED = "flow_completed";
  /** To {@code flow:{flowId}}: a step failed for good; the flow cannot complete. */
  public static final String FLOW_FAILED = "flow_failed";

  private RealtimeEvents() {}

  public record NewOrder(UUID orderId, int orderNumber, String status, String type, String table, List<Views.Item> items,
      long total, String currency, Instant createdAt) {}

  public record OrderStateChanged(UUID orderId, int orderNumber, String from, String status, Instant updatedAt) {}

  /** @param priority 1 normal, 2 high: the order waited over 10 minutes between being taken and being paid */
  public record NewPaidOrder(UUID orderId, int orderNumber, String type, String table, List<Views.Item> items, int priority) {}

  public record PaidOrderReadyForPreparation(UUID orderId, int orderNumber, boolean paymentConfirmed) {}

  public record OrderReady(UUID orderId, int orderNumber, String table) {}

  public record OrderCollected(UUID orderId, int orderNumber, String status) {}

  public record PaymentInitiated(UUID paymentId, UUID orderId, String method, String status, long amount, String currency,
      String redirectUrl) {}

  public record PaymentStatusUpdated(UUID paymentId, UUID orderId, String status, long amount, long refunded, String currency,
      String errorMessage, Instant updatedAt) {}

  public record PaymentUpdate(UUID paymentId, UUID orderId, String method, String status, long amount, long refunded,
      String currency, String flag) {}

  /** @param attempt 1 for the first attempt, 2 for the first retry, … */
  public record JobStarted(String flowId, UUID jobId, String jobType, String queue, int attempt, Instant startedAt) {}

  public record JobProgress(String flowId, UUID jobId, String jobType, int progress) {}

  public record JobCompleted(String flowId, UUID jobId, String jobType, Instant completedAt) {}

  public record JobRetrying(String flowId, UUID jobId, String jobType, String error, int attemptsMade, Instant retryAt) {}

  public record JobFailed(String flowId, UUID jobId, String jobType, String queue, String error, int attemptsMade,
      Instant failedAt) {}

  public record StepCompleted(String flowId, UUID jobId, String jobType, String step, Instant completedAt) {}

  public record FlowCompleted(String flowId, Instant completedAt) {}

  /** @param jobId the job that failed for good (or was removed unfinished) */
  public record FlowFailed(String flowId, UUID jobId, String jobType, String step, Instant failedAt) {}
}
