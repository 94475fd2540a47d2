package io.tabletap.server.store;

import io.tabletap.server.domain.Money;
import io.tabletap.server.payment.qrbank.BankAccount;
import io.tabletap.server.payment.qrbank.BankTransfer;
import io.tabletap.server.payment.qrbank.BankTransferStore;
import io.tabletap.server.payment.qrbank.ManualRefund;
import io.tabletap.server.payment.qrbank.PaymentReference;
import io.tabletap.server.payment.qrbank.QrFormat;
import io.tabletap.server.payment.qrbank.ReconciliationResult;
import io.tabletap.server.payment.qrbank.TransferFlag;
import io.tabletap.server.payment.qrbank.TransferReceived;
import io.tabletap.server.payment.qrbank.UnmatchedTransfer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * {@code bank_transfers} and the tables around it: receipts (one per bank event id), unmatched
 * money and manual refunds. Uniqueness is the database's: the reference is the primary key, the
 * idempotency key, payment id, event id and refund key are unique; the rules live in the callers.
 */
public final class JdbcBankTransferStore implements BankTransferStore {
  private final Database db;
  private final Clock clock;

  public JdbcBankTransferStore(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  @Override
  public Insert insert(BankTransfer t) {
    try {
      db.inTransaction(c -> {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO bank_transfers (reference, payment_id, order_id, order_number,"
            + " cafe_id, idempotency_key, amount, currency, received, status, flags, description, account_name, bsb,"
            + " account_number, iban, bic, qr_format, created_at, expires_at, paid_at, updated_at)"
            + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
          BankAccount a = t.account();
          s.setString(1, t.reference().toString());
          s.setObject(2, t.paymentId());
          s.setObject(3, t.orderId());
          s.setInt(4, t.orderNumber());
          s.setString(5, t.cafeId());
          s.setString(6, t.idempotencyKey());
          s.setLong(7, t.amount().minorUnits());
          s.setString(8, t.amount().currency().getCurrencyCode());
          s.setLong(9, t.received().minorUnits());
          s.setString(10, t.status().name());
          s.setString(11, TransferFlag.join(t.flags()));
          s.setString(12, t.description());
          s.setString(13, a.accountName());
          s.setString(14, a.bsb());
          s.setString(15, a.accountNumber());
          s.setString(16, a.iban());
          s.setString(17, a.bic());
          s.setString(18, t.format().code());
          Sql.setInstant(s, 19, t.createdAt());
          Sql.setInstant(s, 20, t.expiresAt());
          Sql.setInstant(s, 21, t.paidAt());
          Sql.setInstant(s, 22, t.updatedAt());
          return s.executeUpdate();
        }
      });
      return new Inserted(t);
    } catch (StoreException e) {
      if (!(e.getCause() instanceof SQLException sql && Sql.isDuplicateKey(sql))) {
        throw e;
      }
      Optional<BankTransfer> existing = findByIdempotencyKey(t.idempotencyKey()).or(() -> findByPaymentId(t.paymentId()));
      return existing.<Insert>map(AlreadyExists::new).orElseGet(ReferenceTaken::new);
    }
  }

  @Override
  public Optional<BankTransfer> findByReference(PaymentReference reference) {
    return db.read(c -> loadBy(c, "reference", reference.toString(), false));
  }

  @Override
  public Optional<BankTransfer> findByIdempotencyKey(String idempotencyKey) {
    return db.read(c -> loadBy(c, "idempotency_key", idempotencyKey, false));
  }

  @Override
  public Optional<BankTransfer> findByPaymentId(UUID paymentId) {
    return db.read(c -> loadBy(c, "payment_id", paymentId, false));
  }

  @Override
  public ReconciliationResult receive(TransferReceived received, Optional<PaymentReference> reference,
      Function<Optional<BankTransfer>, Reception> decide) {
    try {
      return db.inTransaction(c -> {
        Optional<ReconciliationResult> seen = receipt(c, received.eventId());
        if (seen.isPresent()) {
          return seen.get();
        }
        Optional<BankTransfer> found = reference.isPresent() ? loadBy(c, "reference", reference.get().toString(), true) : Optional.empty();
        Reception reception = decide.apply(found);
        if (reception instanceof Matched matched) {
          update(c, matched.updated());
        }
        insertReceipt(c, received, reception.result());
        if (reception instanceof Unmatched unmatched) {
          insertUnmatched(c, received, unmatched.reason());
        }
        return reception.result();
      });
    } catch (DuplicateKey raced) {
      // The same event was recorded by a concurrent call after we looked: ours rolled back.
      return db.read(c -> receipt(c, received.eventId())).orElseThrow(() -> new IllegalStateException(
          "Receipt " + received.eventId() + " collided but cannot be read"));
    }
  }

  @Override
  public Optional<ManualRefund> refund(PaymentReference reference, String idempotencyKey, RefundDecision decide) {
    try {
      return db.inTransaction(c -> {
        Optional<ManualRefund> existing = refundBy(c, idempotencyKey);
        if (existing.isPresent()) {
          return existing;
        }
        Optional<BankTransfer> transfer = loadBy(c, "reference", reference.toString(), true);
        if (transfer.isEmpty()) {
          return Optional.<ManualRefund>empty();
        }
        ManualRefund refund = decide.decide(transfer.get(), refunded(c, transfer.get()), lastPayerName(c, reference));
        try (PreparedStatement s = c.prepareStatement("INSERT INTO bank_transfer_refunds (id, reference, idempotency_key,"
            + " amount, currency, payer_name, created_at) VALUES (?,?,?,?,?,?,?)")) {
          s.setObject(1, refund.id());
          s.setString(2, reference.toString());
          s.setString(3, refund.idempotencyKey());
          s.setLong(4, refund.amount().minorUnits());
          s.setString(5, refund.amount().currency().getCurrencyCode());
          s.setString(6, refund.payerName());
          Sql.setInstant(s, 7, refund.createdAt());
          executeUnique(s);
        }
        return Optional.of(refund);
      });
    } catch (DuplicateKey raced) {
      return db.read(c -> refundBy(c, idempotencyKey));
    }
  }

  @Override
  public List<ManualRefund> refunds(PaymentReference reference) {
    return db.read(c -> {
      List<ManualRefund> refunds = new ArrayList<>();
      try (PreparedStatement s = c.prepareStatement(
          "SELECT * FROM bank_transfer_refunds WHERE reference = ? ORDER BY created_at, id")) {
        s.setString(1, reference.toString());
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            refunds.add(refund(rs));
          }
        }
      }
      return refunds;
    });
  }

  @Override
  public List<UnmatchedTransfer> unmatched() {
    return db.read(c -> {
      List<UnmatchedTransfer> list = new ArrayList<>();
      try (PreparedStatement s = c.prepareStatement("SELECT * FROM unmatched_bank_transfers ORDER BY received_at, event_id");
          ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          list.add(new UnmatchedTransfer(rs.getString("event_id"), rs.getString("raw_reference"),
              new Money(rs.getLong("amount"), Currency.getInstance(rs.getString("currency"))), rs.getString("payer_name"),
              Sql.getInstant(rs, "received_at"), UnmatchedTransfer.Reason.valueOf(rs.getString("reason")),
              Sql.getInstant(rs, "recorded_at")));
        }
      }
      return list;
    });
  }

  private static void update(Connection c, BankTransfer t) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "UPDATE bank_transfers SET received = ?, status = ?, flags = ?, paid_at = ?, updated_at = ? WHERE reference = ?")) {
      s.setLong(1, t.received().minorUnits());
      s.setString(2, t.status().name());
      s.setString(3, TransferFlag.join(t.flags()));
      Sql.setInstant(s, 4, t.paidAt());
      Sql.setInstant(s, 5, t.updatedAt());
      s.setString(6, t.reference().toString());
      if (s.executeUpdate() != 1) {
        throw new IllegalStateException("Bank transfer " + t.reference() + " vanished while locked");
      }
    }
  }

  private void insertReceipt(Connection c, TransferReceived received, ReconciliationResult r) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("INSERT INTO bank_transfer_receipts (event_id, raw_reference, reference,"
        + " amount, currency, payer_name, received_at, recorded_at, outcome, payment_id, order_id, cafe_id, total_received,"
        + " amount_due, flags, unmatched_reason) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
      s.setString(1, received.eventId());
      s.setString(2, received.reference());
      s.setString(3, r.reference());
      s.setLong(4, received.amount().minorUnits());
      s.setString(5, received.amount().currency().getCurrencyCode());
      s.setString(6, received.payerName());
      Sql.setInstant(s, 7, received.receivedAt());
      Sql.setInstant(s, 8, clock.instant());
      s.setString(9, r.outcome().name());
      s.setObject(10, r.paymentId());
      s.setObject(11, r.orderId());
      s.setString(12, r.cafeId());
      s.setLong(13, r.received().minorUnits());
      if (r.amountDue() == null) {
        s.setNull(14, java.sql.Types.BIGINT);
      } else {
        s.setLong(14, r.amountDue().minorUnits());
      }
      s.setString(15, r.flag());
      s.setString(16, r.unmatchedReason() == null ? null : r.unmatchedReason().name());
      executeUnique(s);
    }
  }

  private void insertUnmatched(Connection c, TransferReceived received, UnmatchedTransfer.Reason reason) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("INSERT INTO unmatched_bank_transfers (event_id, raw_reference, amount,"
        + " currency, payer_name, received_at, reason, recorded_at) VALUES (?,?,?,?,?,?,?,?)")) {
      s.setString(1, received.eventId());
      s.setString(2, received.reference());
      s.setLong(3, received.amount().minorUnits());
      s.setString(4, received.amount().currency().getCurrencyCode());
      s.setString(5, received.payerName());
      Sql.setInstant(s, 6, received.receivedAt());
      s.setString(7, reason.name());
      Sql.setInstant(s, 8, clock.instant());
      executeUnique(s);
    }
  }

  /** The recorded result of an event, marked duplicate, if the event was recorded. */
  private static Optional<ReconciliationResult> receipt(Connection c, String eventId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT * FROM bank_transfer_receipts WHERE event_id = ?")) {
      s.setString(1, eventId);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        Currency currency = Currency.getInstance(rs.getString("currency"));
        long due = rs.getLong("amount_due");
        Money amountDue = rs.wasNull() ? null : new Money(due, currency);
        String reason = rs.getString("unmatched_reason");
        return Optional.of(new ReconciliationResult(eventId, ReconciliationResult.Outcome.valueOf(rs.getString("outcome")),
            rs.getObject("payment_id", UUID.class), rs.getObject("order_id", UUID.class), rs.getString("cafe_id"),
            rs.getString("reference"), new Money(rs.getLong("total_received"), currency), amountDue,
            TransferFlag.parse(rs.getString("flags")), reason == null ? null : UnmatchedTransfer.Reason.valueOf(reason), true));
      }
    }
  }

  private static Money refunded(Connection c, BankTransfer t) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT COALESCE(SUM(amount), 0) FROM bank_transfer_refunds WHERE reference = ?")) {
      s.setString(1, t.reference().toString());
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return new Money(rs.getLong(1), t.amount().currency());
      }
    }
  }

  private static String lastPayerName(Connection c, PaymentReference reference) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT payer_name FROM bank_transfer_receipts WHERE reference = ?"
        + " AND payer_name IS NOT NULL ORDER BY received_at DESC, event_id DESC LIMIT 1")) {
      s.setString(1, reference.toString());
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  private static Optional<ManualRefund> refundBy(Connection c, String idempotencyKey) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT * FROM bank_transfer_refunds WHERE idempotency_key = ?")) {
      s.setString(1, idempotencyKey);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(refund(rs)) : Optional.empty();
      }
    }
  }

  private static ManualRefund refund(ResultSet rs) throws SQLException {
    return new ManualRefund(rs.getObject("id", UUID.class), reference(rs.getString("reference")), rs.getString("idempotency_key"),
        new Money(rs.getLong("amount"), Currency.getInstance(rs.getString("currency"))), rs.getString("payer_name"),
        Sql.getInstant(rs, "created_at"));
  }

  private static Optional<BankTransfer> loadBy(Connection c, String column, Object value, boolean lock) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT * FROM bank_transfers WHERE " + column + " = ?" + (lock ? " FOR UPDATE" : ""))) {
      s.setObject(1, value);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(transfer(rs)) : Optional.empty();
      }
    }
  }

  private static BankTransfer transfer(ResultSet rs) throws SQLException {
    Currency currency = Currency.getInstance(rs.getString("currency"));
    BankAccount account = new BankAccount(rs.getString("account_name"), rs.getString("bsb"), rs.getString("account_number"),
        rs.getString("iban"), rs.getString("bic"));
    QrFormat format = QrFormat.fromCode(rs.getString("qr_format"))
        .orElseThrow(() -> new IllegalStateException("Unknown QR format in bank_transfers"));
    return new BankTransfer(reference(rs.getString("reference")), rs.getObject("payment_id", UUID.class),
        rs.getObject("order_id", UUID.class), rs.getInt("order_number"), rs.getString("cafe_id"), rs.getString("idempotency_key"),
        new Money(rs.getLong("amount"), currency), new Money(rs.getLong("received"), currency),
        BankTransfer.Status.valueOf(rs.getString("status")), TransferFlag.parse(rs.getString("flags")), rs.getString("description"),
        account, format, Sql.getInstant(rs, "created_at"), Sql.getInstant(rs, "expires_at"), Sql.getInstant(rs, "paid_at"),
        Sql.getInstant(rs, "updated_at"));
  }

  private static PaymentReference reference(String stored) {
    return PaymentReference.parse(stored).orElseThrow(() -> new IllegalStateException("Stored reference fails its check"));
  }

  /** Executes an insert whose only possible duplicate is the row's own key: a concurrent twin. */
  private static void executeUnique(PreparedStatement s) throws SQLException {
    try {
      s.executeUpdate();
    } catch (SQLException e) {
      if (Sql.isDuplicateKey(e)) {
        throw new DuplicateKey();
      }
      throw e;
    }
  }

  /** A concurrent call stored the same event or refund first; the transaction rolls back. */
  private static final class DuplicateKey extends RuntimeException {
    DuplicateKey() {
      super(null, null, false, false);
    }
  }
}
