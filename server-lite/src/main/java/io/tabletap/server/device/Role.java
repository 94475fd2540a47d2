package io.tabletap.server.device;

/** What a device is for; each endpoint says which roles may call it (see docs/api.md). */
public enum Role {
  ADMIN,
  CASHIER,
  KITCHEN,
  CUSTOMER_DISPLAY
}
