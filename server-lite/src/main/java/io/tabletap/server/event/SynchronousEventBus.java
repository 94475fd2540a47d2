package io.tabletap.server.event;

import io.tabletap.server.domain.DomainEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers each event to its listeners on the publishing thread, in subscription order. A listener
 * that throws is logged and skipped: one broken listener must not keep an order from the kitchen.
 * Thread-safe.
 */
public final class SynchronousEventBus implements EventBus {
  private static final Logger log = LoggerFactory.getLogger(SynchronousEventBus.class);

  private record Listener<E extends DomainEvent>(Class<E> type, Consumer<? super E> consumer) {
    void offer(DomainEvent event) {
      if (type.isInstance(event)) {
        consumer.accept(type.cast(event));
      }
    }
  }

  private final List<Listener<?>> listeners = new CopyOnWriteArrayList<>();

  @Override
  public <E extends DomainEvent> Subscription subscribe(Class<E> type, Consumer<? super E> listener) {
    Listener<E> entry = new Listener<>(type, listener);
    listeners.add(entry);
    return () -> listeners.remove(entry);
  }

  @Override
  public void publish(DomainEvent event) {
    for (Listener<?> listener : listeners) {
      try {
        listener.offer(event);
      } catch (RuntimeException e) {
        log.error("Listener for {} failed on event {}", listener.type().getSimpleName(), event.name(), e);
      }
    }
  }
}
