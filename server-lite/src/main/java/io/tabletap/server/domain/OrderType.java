package io.tabletap.server.domain;

public enum OrderType {
  TAKEAWAY,
  DINE_IN
}
