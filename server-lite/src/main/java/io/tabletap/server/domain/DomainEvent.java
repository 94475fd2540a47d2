package io.tabletap.server.domain;

import java.time.Instant;

/**
 * Something that happened in the domain. {@link #name()} is a stable string
 * ({@code order.created}) that is persisted and sent to clients: never rename one, add a new one.
 */
public interface DomainEvent {
  String name();

  String cafeId();

  Instant occurredAt();
}
