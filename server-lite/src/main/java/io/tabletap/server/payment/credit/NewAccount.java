package io.tabletap.server.payment.credit;

/**
 * What a new credit account is asked for, as it arrives (checked by {@link CreditLedger#createAccount}).
 *
 * @param name 1 to 80 characters once trimmed
 * @param phone optional; blank counts as absent
 * @param email optional; blank counts as absent
 * @param overdraftLimit minor units in the cafe's currency, 0 to 1,000,000; null means 0
 */
public record NewAccount(String name, String phone, String email, Long overdraftLimit) {}
