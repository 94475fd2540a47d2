package io.tabletap.server.queue;

import java.time.Duration;
import java.util.List;

/**
 * The queues server-lite runs, with the seed design's options (BullMQ's {@code queueConfigs}).
 * Concurrency and what the seed leaves open are ours; docs/queue.md lists them all.
 */
public final class DefaultQueues {
  public static final String PAYMENT_PROCESSING = "payment-processing";
  public static final String ORDER_PROCESSING = "order-processing";
  public static final String NOTIFICATION_QUEUE = "notification-queue";
  public static final String WEBHOOK_PROCESSING = "webhook-processing";

  private DefaultQueues() {}

  /** attempts 3, exponential backoff from 2 s, keep 100 completed / 50 failed, stalled check every 30 s. */
  public static QueueConfig paymentProcessing() {
    return QueueConfig.builder(PAYMENT_PROCESSING)
        .defaults(new JobDefaults(3, Backoff.exponential(Duration.ofMillis(2000)), Retention.keepNewest(100),
            Retention.keepNewest(50)))
        .concurrency(2)
        .stalledInterval(Duration.ofSeconds(30))
        .retryProcessDelay(Duration.ofSeconds(5))
        .build();
  }

  /** attempts 5, fixed backoff of 1 s, keep 50 completed / 25 failed. */
  public static QueueConfig orderProcessing() {
    return QueueConfig.builder(ORDER_PROCESSING)
        .defaults(new JobDefaults(5, Backoff.fixed(Duration.ofMillis(1000)), Retention.keepNewest(50),
            Retention.keepNewest(25)))
        .concurrency(2)
        .build();
  }

  /** attempts 2 (retried at once), keep 200 completed / 100 failed. */
  public static QueueConfig notificationQueue() {
    return QueueConfig.builder(NOTIFICATION_QUEUE)
        .defaults(new JobDefaults(2, Backoff.none(), Retention.keepNewest(200), Retention.keepNewest(100)))
        .concurrency(2)
        .build();
  }

  /**
   * attempts 3, exponential backoff from 2 s; priority per event type ({@link WebhookPriority}).
   * The seed sets no retention here. A completed webhook job is removed at once, in the
   * transaction that completed it: the audit log keeps every webhook received and processed, and
   * the remembered key answers a repeat delivery (decision 0022). Every dead letter is kept: a lost
   * payment notification must stay visible until someone retries or removes it.
   */
  public static QueueConfig webhookProcessing() {
    return QueueConfig.builder(WEBHOOK_PROCESSING)
        .defaults(new JobDefaults(3, Backoff.exponential(Duration.ofMillis(2000)), Retention.removeAtOnce(),
            Retention.KEEP_ALL))
        .concurrency(2)
        .build();
  }

  public static List<QueueConfig> all() {
    return List.of(paymentProcessing(), orderProcessing(), notificationQueue(), webhookProcessing());
  }
}
