package io.tabletap.server.event;

import io.tabletap.server.domain.DomainEvent;
import java.util.function.Consumer;

/**
 * In-process, typed publish/subscribe for {@link DomainEvent}s. Services publish after their
 * change is committed, so a listener never sees an event for data that was rolled back.
 */
public interface EventBus {

  /**
   * Calls {@code listener} for every published event that is an instance of {@code type}.
   * Subscribing to {@code DomainEvent.class} receives everything.
   */
  <E extends DomainEvent> Subscription subscribe(Class<E> type, Consumer<? super E> listener);

  void publish(DomainEvent event);

  /** Cancels a subscription; closing twice is harmless. */
  interface Subscription extends AutoCloseable {
    @Override
    void close();
  }
}
