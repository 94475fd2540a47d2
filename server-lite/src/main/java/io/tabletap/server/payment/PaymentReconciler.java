package io.tabletap.server.payment;

import io.tabletap.server.domain.Payment;
import io.tabletap.server.domain.PaymentStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles payments whose webhook never came: every open payment older than a threshold is
 * verified with its gateway ({@code verifyPayment}) and moved to what the gateway says. Runs on
 * start and on a timer; harmless to run twice, since settling is idempotent.
 */
public final class PaymentReconciler {
  private static final Logger log = LoggerFactory.getLogger(PaymentReconciler.class);
  private static final int BATCH = 200;

  private final PaymentStore store;
  private final PaymentService payments;
  private final Clock clock;
  private final Duration threshold;

  /** @param threshold how long a payment may stay open before we ask its gateway */
  public PaymentReconciler(PaymentStore store, PaymentService payments, Clock clock, Duration threshold) {
    this.store = store;
    this.payments = payments;
    this.clock = clock;
    this.threshold = threshold;
  }

  /** What one pass did. */
  public record Pass(int checked, int settled, int failed) {}

  public Pass runOnce() {
    List<Payment> open = store.inStatusSince(List.of(PaymentStatus.PENDING, PaymentStatus.PROCESSING),
        clock.instant().minus(threshold), BATCH);
    int settled = 0;
    int failed = 0;
    for (Payment payment : open) {
      try {
        Payment after = payments.verify(payment.id());
        if (after.status() != payment.status()) {
          settled++;
          log.info("Reconciled payment {}: {} → {}", payment.id(), payment.status(), after.status());
        }
      } catch (GatewayException e) {
        failed++;
        log.warn("Could not verify payment {} with its gateway: {}", payment.id(), e.getMessage());
      } catch (RuntimeException e) {
        failed++;
        log.error("Reconciling payment {} failed", payment.id(), e);
      }
    }
    return new Pass(open.size(), settled, failed);
  }
}
