package io.tabletap.server.payment.qrbank;

import io.tabletap.server.domain.Cafe;
import io.tabletap.server.domain.Money;
import io.tabletap.server.domain.PaymentMethod;
import io.tabletap.server.domain.TaxPolicy;
import io.tabletap.server.domain.TaxPolicy.TaxMode;
import io.tabletap.server.domain.TaxRate;
import io.tabletap.server.menu.DemoCafe;
import io.tabletap.server.payment.PaymentRequest;
import io.tabletap.server.store.Database;
import io.tabletap.server.store.JdbcBankSettingsStore;
import io.tabletap.server.store.JdbcBankTransferStore;
import io.tabletap.server.store.JdbcCafeStore;
import io.tabletap.server.testing.MutableClock;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Currency;
import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * A real H2 database in a temp dir with the demo cafe (AUD, demo bank details) and a Berlin cafe
 * (EUR, EPC), the qrbank objects wired over it, and a clock the test moves.
 */
final class TestBank implements AutoCloseable {
  static final Instant START = Instant.parse("2026-11-25T23:00:00Z");
  static final String BERLIN = "berlin";
  static final String BERLIN_IBAN = "DE89370400440532013000";
  static final String BERLIN_BIC = "COBADEFFXXX";

  final MutableClock clock = new MutableClock(START);
  final Database db;
  final JdbcCafeStore cafes;
  final JdbcBankTransferStore transfers;
  final BankSettingsService settings;
  final QrBankGateway gateway;
  final BankTransferReconciler reconciler;

  TestBank(Path dir) {
    this(dir, new SecureRandom());
  }

  TestBank(Path dir, RandomGenerator random) {
    db = Database.open(dir, 4);
    cafes = new JdbcCafeStore(db);
    cafes.insert(DemoCafe.cafe());
    cafes.insert(new Cafe(BERLIN, "Café Zoë", Currency.getInstance("EUR"), new TaxPolicy(TaxMode.INCLUSIVE, new TaxRate(1900)),
        ZoneId.of("Europe/Berlin"), LocalTime.of(4, 0)));
    settings = new BankSettingsService(new JdbcBankSettingsStore(db, clock), cafes);
    settings.seedDemoCafe(DemoCafe.ID);
    settings.save(new BankSettings(BERLIN, BankAccount.sepa("Café Zoë GmbH", BERLIN_IBAN, BERLIN_BIC), QrFormat.EPC, 20));
    transfers = new JdbcBankTransferStore(db, clock);
    gateway = new QrBankGateway(settings, transfers, random, () -> "https://pay.example.test/", clock);
    reconciler = new BankTransferReconciler(transfers, clock);
  }

  static PaymentRequest request(String cafeId, long cents, String currency) {
    UUID paymentId = UUID.randomUUID();
    return new PaymentRequest(paymentId, UUID.randomUUID(), cafeId, 42, PaymentMethod.QR_CODE_BANK_TRANSFER,
        Money.of(cents, currency), "pay-" + paymentId, "Order 42", null, "cashier");
  }

  static PaymentRequest demoRequest(long cents) {
    return request(DemoCafe.ID, cents, "AUD");
  }

  /** A transfer.received for {@code reference} of {@code cents} AUD, received now. */
  TransferReceived received(String eventId, String reference, long cents) {
    return new TransferReceived(eventId, reference, Money.of(cents, "AUD"), "J CITIZEN", clock.instant());
  }

  @Override
  public void close() {
    db.close();
  }
}
