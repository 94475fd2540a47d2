package io.tabletap.server.payment.qrbank;

import java.util.Objects;

/**
 * A cafe's settings for being paid by bank transfer.
 *
 * @param expiryMinutes how long a reference may be paid before it expires (money that arrives
 *     later is still recorded, flagged {@code LATE})
 */
public record BankSettings(String cafeId, BankAccount account, QrFormat format, int expiryMinutes) {
  public static final int DEFAULT_EXPIRY_MINUTES = 15;
  public static final int MAX_EXPIRY_MINUTES = 24 * 60;

  public BankSettings {
    Objects.requireNonNull(cafeId, "cafeId");
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(format, "format");
  }
}
