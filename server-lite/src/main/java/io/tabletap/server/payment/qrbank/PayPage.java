package io.tabletap.server.payment.qrbank;

import io.tabletap.server.domain.Cafe;
import io.tabletap.server.menu.CafeStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * The public page behind a transfer's link ({@code GET /pay/{reference}}, no token): what a
 * customer who opens the link on a phone needs to pay by hand.
 *
 * <p>It shows only the one transfer the reference names: a reference is a capability, so an
 * unknown, mistyped or malformed one is the same 404, and no page ever shows another transfer.
 * Status: 200 while open (bank details, amount, reference, expiry, the QR inline) and once paid
 * ("paid, thank you", without bank details); 410 once expired unpaid; 404 when unknown.
 */
public final class PayPage {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm", Locale.ENGLISH);
  private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm", Locale.ENGLISH);

  /** An answer: HTTP status and a complete UTF-8 HTML document. */
  public record Page(int status, String html) {}

  private final BankTransferStore transfers;
  private final CafeStore cafes;
  private final Clock clock;

  public PayPage(BankTransferStore transfers, CafeStore cafes, Clock clock) {
    this.transfers = transfers;
    this.cafes = cafes;
    this.clock = clock;
  }

  /** The page for a reference as it arrived in the URL (tolerantly read, check symbol enforced). */
  public Page render(String typedReference) {
    Optional<BankTransfer> found = PaymentReference.parse(typedReference).flatMap(transfers::findByReference);
    if (found.isEmpty()) {
      return new Page(404, PayPageHtml.notFound());
    }
    BankTransfer transfer = found.get();
    Optional<Cafe> cafe = cafes.find(transfer.cafeId());
    String cafeName = cafe.map(Cafe::name).orElse("the cafe");
    ZoneId zone = cafe.map(Cafe::zone).orElse(ZoneId.of("UTC"));
    Instant now = clock.instant();
    if (transfer.status() == BankTransfer.Status.PAID) {
      return new Page(200, PayPageHtml.paid(cafeName, transfer));
    }
    String expiry = when(transfer.expiresAt(), now, zone);
    if (transfer.isExpiredAt(now)) {
      return new Page(410, PayPageHtml.expired(cafeName, transfer, expiry));
    }
    String payload = QrPayloads.forTransfer(transfer, transfer.outstanding());
    String qrDataUri = "data:image/png;base64," + Base64.getEncoder().encodeToString(QrImages.png(payload));
    return new Page(200, PayPageHtml.open(cafeName, transfer, expiry, qrDataUri));
  }

  /** "10:15" today in the cafe's zone, or "27 Nov 2026, 10:15" on another day. */
  private static String when(Instant at, Instant now, ZoneId zone) {
    ZonedDateTime local = at.atZone(zone);
    boolean today = local.toLocalDate().equals(now.atZone(zone).toLocalDate());
    return (today ? TIME : DATE_TIME).format(local);
  }
}
