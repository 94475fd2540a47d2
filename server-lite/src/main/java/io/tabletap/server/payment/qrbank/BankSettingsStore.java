package io.tabletap.server.payment.qrbank;

import java.util.Optional;

/** Where cafes' bank settings live ({@code cafe_bank_settings}). */
public interface BankSettingsStore {
  Optional<BankSettings> find(String cafeId);

  /** Inserts or replaces the cafe's settings. */
  void save(BankSettings settings);

  /** Inserts the settings unless the cafe has some already; true if it inserted. */
  boolean insertIfAbsent(BankSettings settings);
}
