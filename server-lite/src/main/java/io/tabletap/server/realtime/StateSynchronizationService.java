package io.tabletap.server.realtime;

import io.tabletap.server.domain.DomainEvent;
import io.tabletap.server.domain.Order;
import io.tabletap.server.domain.OrderCreated;
import io.tabletap.server.domain.OrderStatus;
import io.tabletap.server.domain.OrderStatusChanged;
import io.tabletap.server.domain.Payment;
import io.tabletap.server.domain.PaymentCompleted;
import io.tabletap.server.domain.PaymentFailed;
import io.tabletap.server.domain.PaymentInitiated;
import io.tabletap.server.domain.PaymentRefunded;
import io.tabletap.server.event.EventBus;
import io.tabletap.server.tx.PerTransaction;
import io.tabletap.server.tx.Transactions;
import io.tabletap.server.realtime.RealtimeEvents.NewOrder;
import io.tabletap.server.realtime.RealtimeEvents.NewPaidOrder;
import io.tabletap.server.realtime.RealtimeEvents.OrderCollected;
import io.tabletap.server.realtime.RealtimeEvents.OrderReady;
import io.tabletap.server.realtime.RealtimeEvents.OrderStateChanged;
import io.tabletap.server.realtime.RealtimeEvents.PaidOrderReadyForPreparation;
import io.tabletap.server.realtime.RealtimeEvents.PaymentStatusUpdated;
import io.tabletap.server.realtime.RealtimeEvents.PaymentUpdate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns domain events into the real-time events of the rooms (docs/protocol.md, "Events"). All
 * room events of one domain event are stored in one transaction and delivered together.
 *
 * <p>It listens on the {@link EventBus}, which services publish to inside the transaction of
 * their change: the room events are stored in that transaction, as its last writes, and sent
 * after its commit (RoomHub#publish, docs/decisions/0018). A change without a transaction around
 * it (none left in the services that move orders and payments) gets its events just after.
 *
 * <p>{@link StateListener}s (the real-time state manager) see a transaction's domain events at its
 * end, once its work is done (undone parts left out), inside it: what they read shows the change,
 * and what they publish (kitchen display, queue positions) commits with it.
 */
public final class StateSynchronizationService implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StateSynchronizationService.class);
  /** An order paid this long after it was taken is cooked first. */
  static final Duration LONG_WAIT = Duration.ofMinutes(10);

  private final RoomHub hub;
  private final Transactions transactions;
  /** The events heard in the calling thread's open transaction, for the listeners. */
  private final PerTransaction<Heard> heard;
  private final ReentrantLock telling = new ReentrantLock();
  private final List<EventBus.Subscription> subscriptions = new ArrayList<>();
  private final List<StateListener> listeners;
  private final List<RoomEventSource> sources;

  /** Something that follows the same domain events after the room events went out. */
  public interface StateListener {
    void on(DomainEvent event);

    /** Whether {@link #on} does anything with {@code event}; the others are not passed on. */
    default boolean wants(DomainEvent event) {
      return true;
    }
  }

  /**
   * More room events for a domain event, from a package this one must not depend on (the job
   * queue's {@code JobEvent}s and {@code FlowEvent}s: the queue depends on the store, which
   * depends on this package). Its room events go out with this service's, in the same transaction.
   */
  public interface RoomEventSource {
    List<RoomEvent> roomEvents(DomainEvent event);
  }

  public StateSynchronizationService(EventBus bus, RoomHub hub, List<StateListener> listeners) {
    this(bus, hub, listeners, List.of());
  }

  public StateSynchronizationService(EventBus bus, RoomHub hub, List<StateListener> listeners, List<RoomEventSource> sources) {
    this(bus, hub, listeners, sources, Transactions.NONE);
  }

  /** @param transactions the database's: listeners hear of a change at the end of its transaction */
  public StateSynchronizationService(EventBus bus, RoomHub hub, List<StateListener> listeners, List<RoomEventSource> sources,
      Transactions transactions) {
    this.transactions = transactions;
    this.heard = new PerTransaction<>(transactions, Heard::new);
    this.hub = hub;
    this.listeners = List.copyOf(listeners);
    this.sources = List.copyOf(sources);
    subscriptions.add(bus.subscribe(DomainEvent.class, this::on));
  }

  private void on(DomainEvent event) {
    List<RoomEvent> out = roomEvents(event);
    for (RoomEventSource source : sources) {
      out.addAll(source.roomEvents(event));
    }
    hub.publish(out);
    if (listeners.stream().noneMatch(l -> l.wants(event))) {
      return; // job events, mostly: no transaction, no lock for them
    }
    heard.current().ifPresentOrElse(batch -> batch.add(event), () -> tellInOrder(List.of(event)));
  }

  /**
   * The domain events of one transaction, told to the listeners as the transaction's last work
   * before its room events are stored (a stage below RoomHub's): what they publish (a kitchen
   * delta per order) is stored in the same commit as the change — a separate transaction per batch
   * took a sixth of the webhook worker's time. The listeners' lock is held from there until the
   * transaction ended, so the kitchen's deltas are numbered in the order its model made them.
   * Should the store or the commit then fail, the model is ahead of the database until its TTL
   * check compares it with H2 (decision 0017); a listener that throws is logged, and never undoes
   * the change.
   */
  private final class Heard extends PerTransaction.Batch<DomainEvent> {
    private boolean locked;

    @Override
    public int stage() {
      return RoomHub.STAGE - 5; // after the audit rows, before the room events
    }

    @Override
    public void beforeCommit() {
      telling.lock();
      locked = true;
      tell(items);
    }

    @Override
    public void afterCommit() {
      release();
    }

    @Override
    public void afterRollback() {
      release();
    }

    private void release() {
      if (locked) {
        locked = false;
        telling.unlock();
      }
    }
  }

  /**
   * One batch at a time, each in a transaction whose commit numbers what the listeners published:
   * the lock keeps the kitchen's deltas numbered in the order its model made them.
   */
  private void tellInOrder(List<DomainEvent> events) {
    telling.lock();
    try {
      transactions.run(() -> tell(events));
    } finally {
      telling.unlock();
    }
  }

  private Void tell(List<DomainEvent> events) {
    for (DomainEvent event : events) {
      for (StateListener listener : listeners) {
        if (listener.wants(event)) {
          try {
            listener.on(event);
          } catch (RuntimeException e) {
            // as the event bus does: a broken listener must not keep an order from the kitchen
            log.error("State listener failed on event {}", event.name(), e);
          }
        }
      }
    }
    return null;
  }

  /** What {@code event} means for the rooms; empty for events no client hears of. */
  static List<RoomEvent> roomEvents(DomainEvent event) {
    List<RoomEvent> out = new ArrayList<>();
    String cafe = event.cafeId();
    Instant at = event.occurredAt();
    if (event instanceof OrderCreated created) {
      Order o = created.order();
      NewOrder data = new NewOrder(o.id(), o.orderNumber(), o.status().name(), o.type().name(), o.table(), Views.items(o),
          o.total().minorUnits(), o.total().currency().getCurrencyCode(), o.createdAt());
      out.add(new RoomEvent(key(cafe, Room.staff(cafe)), RealtimeEvents.NEW_ORDER, data, at));
      out.add(new RoomEvent(key(cafe, Room.kitchen(cafe)), RealtimeEvents.NEW_ORDER, data, at));
    } else if (event instanceof OrderStatusChanged changed) {
      orderChanged(changed, cafe, at, out);
    } else if (event instanceof PaymentInitiated initiated) {
      Payment p = initiated.payment();
      RealtimeEvents.PaymentInitiated data = new RealtimeEvents.PaymentInitiated(p.id(), p.orderId(), p.method().name(),
          p.status().name(), p.amount().minorUnits(), p.amount().currency().getCurrencyCode(), p.redirectUrl());
      out.add(new RoomEvent(key(cafe, Room.order(p.orderId())), RealtimeEvents.PAYMENT_INITIATED, data, at));
      out.add(new RoomEvent(key(cafe, Room.payment(p.id())), RealtimeEvents.PAYMENT_INITIATED, data, at));
      out.add(paymentUpdate(p, cafe, at));
    } else if (event instanceof PaymentCompleted completed) {
      paymentChanged(completed.payment(), cafe, at, out);
    } else if (event instanceof PaymentFailed failed) {
      paymentChanged(failed.payment(), cafe, at, out);
    } else if (event instanceof PaymentRefunded refunded) {
      paymentChanged(refunded.payment(), cafe, at, out);
    } else if (event instanceof io.tabletap.server.domain.WebhookFailed failed && cafe != null) {
      out.add(new RoomEvent(key(cafe, Room.staff(cafe)), RealtimeEvents.WEBHOOK_FAILED, new RealtimeEvents.WebhookFailedAlert(
          failed.webhookId(), failed.provider(), failed.eventId(), failed.eventType(), failed.reason()), at));
    }
    return out;
  }

  private static void orderChanged(OrderStatusChanged changed, String cafe, Instant at, List<RoomEvent> out) {
    Order o = changed.order();
    OrderStateChanged data = new OrderStateChanged(o.id(), o.orderNumber(), changed.from().name(), changed.to().name(),
        o.updatedAt());
    out.add(new RoomEvent(key(cafe, Room.order(o.id())), RealtimeEvents.ORDER_STATE_CHANGED, data, at));
    out.add(new RoomEvent(key(cafe, Room.staff(cafe)), RealtimeEvents.ORDER_STATE_CHANGED, data, at));
    out.add(new RoomEvent(key(cafe, Room.kitchen(cafe)), RealtimeEvents.ORDER_STATE_CHANGED, data, at));
    if (changed.to() == OrderStatus.PAID) {
      int priority = Duration.between(o.createdAt(), at).compareTo(LONG_WAIT) > 0 ? 2 : 1;
      out.add(new RoomEvent(key(cafe, Room.kitchen(cafe)), RealtimeEvents.NEW_PAID_ORDER,
          new NewPaidOrder(o.id(), o.orderNumber(), o.type().name(), o.table(), Views.items(o), priority), at));
      out.add(new RoomEvent(key(cafe, Room.kitchen(cafe)), RealtimeEvents.PAID_ORDER_READY_FOR_PREPARATION,
          new PaidOrderReadyForPreparation(o.id(), o.orderNumber(), true), at));
    }
    if (changed.to() == OrderStatus.READY) {
      out.add(new RoomEvent(key(cafe, Room.board(cafe)), RealtimeEvents.ORDER_READY, new OrderReady(o.id(), o.orderNumber(), o.table()),
          at));
    } else if (changed.from() == OrderStatus.READY) {
      out.add(new RoomEvent(key(cafe, Room.board(cafe)), RealtimeEvents.ORDER_COLLECTED,
          new OrderCollected(o.id(), o.orderNumber(), changed.to().name()), at));
    }
  }

  private static void paymentChanged(Payment p, String cafe, Instant at, List<RoomEvent> out) {
    PaymentStatusUpdated data = new PaymentStatusUpdated(p.id(), p.orderId(), p.status().name(), p.amount().minorUnits(),
        p.refunded().minorUnits(), p.amount().currency().getCurrencyCode(), p.errorMessage(), p.updatedAt());
    out.add(new RoomEvent(key(cafe, Room.order(p.orderId())), RealtimeEvents.PAYMENT_STATUS_UPDATED, data, at));
    out.add(new RoomEvent(key(cafe, Room.payment(p.id())), RealtimeEvents.PAYMENT_STATUS_UPDATED, data, at));
    out.add(paymentUpdate(p, cafe, at));
  }

  private static RoomEvent paymentUpdate(Payment p, String cafe, Instant at) {
    return new RoomEvent(key(cafe, Room.staff(cafe)), RealtimeEvents.PAYMENT_UPDATE, new PaymentUpdate(p.id(), p.orderId(),
        p.method().name(), p.status().name(), p.amount().minorUnits(), p.refunded().minorUnits(),
        p.amount().currency().getCurrencyCode(), p.flag()), at);
  }

  private static RoomKey key(String cafe, String room) {
    return new RoomKey(cafe, room);
  }

  @Override
  public void close() {
    subscriptions.forEach(EventBus.Subscription::close);
  }
}
