package io.tabletap.server.payment.qrbank;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/** Something about a bank transfer that staff should look at. */
public enum TransferFlag {
  /** Less than the amount has arrived so far; the payment stays pending. */
  UNDERPAID,
  /** More than the amount arrived: the difference is owed back to the customer. */
  OVERPAID,
  /** Money arrived after the reference expired: recorded anyway, staff decide. */
  LATE;

  /** {@code "OVERPAID,LATE"}, or null for none: the form stored and put on a payment. */
  public static String join(Set<TransferFlag> flags) {
    return flags.isEmpty() ? null : flags.stream().sorted().map(Enum::name).collect(Collectors.joining(","));
  }

  /** The inverse of {@link #join}. */
  public static Set<TransferFlag> parse(String joined) {
    Set<TransferFlag> flags = EnumSet.noneOf(TransferFlag.class);
    if (joined != null && !joined.isBlank()) {
      Arrays.stream(joined.split(",")).map(String::strip).map(TransferFlag::valueOf).forEach(flags::add);
    }
    return flags;
  }
}
