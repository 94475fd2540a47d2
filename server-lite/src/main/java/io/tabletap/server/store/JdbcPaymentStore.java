package io.tabletap.server.store;

import io.tabletap.server.domain.Money;
import io.tabletap.server.domain.Order;
import io.tabletap.server.domain.Payment;
import io.tabletap.server.domain.PaymentMethod;
import io.tabletap.server.domain.PaymentStatus;
import io.tabletap.server.domain.Refund;
import io.tabletap.server.order.OrderStore;
import io.tabletap.server.payment.PaymentStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/** Payments and refunds; locks the order row for every decision about amounts. */
public final class JdbcPaymentStore implements PaymentStore {
  private static final String PAYMENT_COLUMNS = "id, order_id, cafe_id, method, amount, currency, status, refunded,"
      + " gateway_transaction_id, redirect_url, idempotency_key, error_message, tendered, change_due, credit_account_id,"
      + " flag, confirmed_by, confirm_reason, created_at, updated_at";
  private static final String REFUND_COLUMNS = "id, payment_id, amount, currency, status, reason, actor, gateway_refund_id,"
      + " error_message, idempotency_key, created_at, updated_at";

  private final Database db;

  public JdbcPaymentStore(Database db) {
    this.db = db;
  }

  @Override
  public <R> Optional<R> locked(UUID orderId, Function<Snapshot, Outcome<R>> decide) {
    return db.inTransaction(c -> {
      Optional<OrderStore.Stored> stored = JdbcOrderStore.load(c, orderId, true);
      if (stored.isEmpty()) {
        return Optional.empty();
      }
      Order before = stored.get().order();
      List<Payment> payments = queryPayments(c, "SELECT * FROM payments WHERE order_id = ? ORDER BY created_at, id", orderId);
      List<Refund> refunds = queryRefunds(c, "SELECT r.* FROM refunds r JOIN payments p ON p.id = r.payment_id"
          + " WHERE p.order_id = ? ORDER BY r.created_at, r.id", orderId);
      Outcome<R> outcome = decide.apply(new Snapshot(before, payments, refunds));
      try {
        for (Payment payment : outcome.payments()) {
          mergePayment(c, payment);
        }
        for (Refund refund : outcome.refunds()) {
          mergeRefund(c, refund);
        }
      } catch (SQLException e) {
        if (Sql.isDuplicateKey(e)) {
          throw new DuplicateKeyException("Idempotency key already used: " + e.getMessage());
        }
        throw e;
      }
      JdbcOrderStore.writeStatus(c, before, outcome.order(), outcome.actor());
      return Optional.ofNullable(outcome.result());
    });
  }

  @Override
  public Optional<Payment> find(UUID paymentId) {
    return db.read(c -> queryPayments(c, "SELECT * FROM payments WHERE id = ?", paymentId).stream().findFirst());
  }

  @Override
  public Optional<Payment> findByIdempotencyKey(String cafeId, String idempotencyKey) {
    return db.read(c -> queryPayments(c, "SELECT * FROM payments WHERE cafe_id = ? AND idempotency_key = ?", cafeId, idempotencyKey)
        .stream().findFirst());
  }

  @Override
  public Optional<Payment> findByTransaction(String transactionId) {
    return db.read(c -> queryPayments(c, "SELECT * FROM payments WHERE gateway_transaction_id = ? ORDER BY created_at", transactionId)
        .stream().findFirst());
  }

  @Override
  public Optional<Refund> findRefundByGatewayId(String gatewayRefundId) {
    return db.read(c -> queryRefunds(c, "SELECT * FROM refunds WHERE gateway_refund_id = ?", gatewayRefundId).stream().findFirst());
  }

  @Override
  public List<Refund> refundsOf(UUID paymentId) {
    return db.read(c -> queryRefunds(c, "SELECT * FROM refunds WHERE payment_id = ? ORDER BY created_at, id", paymentId));
  }

  @Override
  public List<Payment> forOrder(UUID orderId) {
    return db.read(c -> queryPayments(c, "SELECT * FROM payments WHERE order_id = ? ORDER BY created_at, id", orderId));
  }

  @Override
  public List<Payment> inStatusSince(List<PaymentStatus> statuses, Instant before, int limit) {
    String marks = String.join(",", java.util.Collections.nCopies(statuses.size(), "?"));
    List<Object> args = new ArrayList<>();
    statuses.forEach(s -> args.add(s.name()));
    args.add(before.atOffset(java.time.ZoneOffset.UTC));
    args.add(limit);
    return db.read(c -> queryPayments(c, "SELECT * FROM payments WHERE status IN (" + marks + ") AND updated_at < ?"
        + " ORDER BY updated_at LIMIT ?", args.toArray()));
  }

  private static void mergePayment(Connection c, Payment p) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("MERGE INTO payments (" + PAYMENT_COLUMNS + ") KEY (id)"
        + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
      s.setObject(1, p.id());
      s.setObject(2, p.orderId());
      s.setString(3, p.cafeId());
      s.setString(4, p.method().name());
      s.setLong(5, p.amount().minorUnits());
      s.setString(6, p.amount().currency().getCurrencyCode());
      s.setString(7, p.status().name());
      s.setLong(8, p.refunded().minorUnits());
      s.setString(9, p.gatewayTransactionId());
      s.setString(10, p.redirectUrl());
      s.setString(11, p.idempotencyKey());
      s.setString(12, truncate(p.errorMessage(), 500));
      setMoney(s, 13, p.tendered());
      setMoney(s, 14, p.change());
      s.setString(15, p.creditAccountId());
      s.setString(16, p.flag());
      s.setString(17, p.confirmedBy());
      s.setString(18, p.confirmReason());
      Sql.setInstant(s, 19, p.createdAt());
      Sql.setInstant(s, 20, p.updatedAt());
      s.executeUpdate();
    }
  }

  private static void mergeRefund(Connection c, Refund r) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("MERGE INTO refunds (" + REFUND_COLUMNS + ") KEY (id)"
        + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)")) {
      s.setObject(1, r.id());
      s.setObject(2, r.paymentId());
      s.setLong(3, r.amount().minorUnits());
      s.setString(4, r.amount().currency().getCurrencyCode());
      s.setString(5, r.status().name());
      s.setString(6, r.reason());
      s.setString(7, r.actor());
      s.setString(8, r.gatewayRefundId());
      s.setString(9, truncate(r.errorMessage(), 500));
      s.setString(10, r.idempotencyKey());
      Sql.setInstant(s, 11, r.createdAt());
      Sql.setInstant(s, 12, r.updatedAt());
      s.executeUpdate();
    }
  }

  private static List<Payment> queryPayments(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement s = prepare(c, sql, args); ResultSet rs = s.executeQuery()) {
      List<Payment> payments = new ArrayList<>();
      while (rs.next()) {
        Currency currency = Currency.getInstance(rs.getString("currency"));
        payments.add(new Payment(rs.getObject("id", UUID.class), rs.getObject("order_id", UUID.class), rs.getString("cafe_id"),
            PaymentMethod.valueOf(rs.getString("method")), new Money(rs.getLong("amount"), currency),
            PaymentStatus.valueOf(rs.getString("status")), new Money(rs.getLong("refunded"), currency),
            rs.getString("gateway_transaction_id"), rs.getString("redirect_url"), rs.getString("idempotency_key"),
            rs.getString("error_message"), money(rs, "tendered", currency), money(rs, "change_due", currency),
            rs.getString("credit_account_id"), rs.getString("flag"), rs.getString("confirmed_by"), rs.getString("confirm_reason"),
            Sql.getInstant(rs, "created_at"), Sql.getInstant(rs, "updated_at")));
      }
      return payments;
    }
  }

  private static List<Refund> queryRefunds(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement s = prepare(c, sql, args); ResultSet rs = s.executeQuery()) {
      List<Refund> refunds = new ArrayList<>();
      while (rs.next()) {
        Currency currency = Currency.getInstance(rs.getString("currency"));
        refunds.add(new Refund(rs.getObject("id", UUID.class), rs.getObject("payment_id", UUID.class),
            new Money(rs.getLong("amount"), currency), Refund.Status.valueOf(rs.getString("status")), rs.getString("reason"),
            rs.getString("actor"), rs.getString("gateway_refund_id"), rs.getString("error_message"),
            rs.getString("idempotency_key"), Sql.getInstant(rs, "created_at"), Sql.getInstant(rs, "updated_at")));
      }
      return refunds;
    }
  }

  private static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
    PreparedStatement s = c.prepareStatement(sql);
    for (int i = 0; i < args.length; i++) {
      s.setObject(i + 1, args[i]);
    }
    return s;
  }

  private static Money money(ResultSet rs, String column, Currency currency) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : new Money(value, currency);
  }

  private static void setMoney(PreparedStatement s, int index, Money money) throws SQLException {
    if (money == null) {
      s.setNull(index, Types.BIGINT);
    } else {
      s.setLong(index, money.minorUnits());
    }
  }

  private static String truncate(String value, int max) {
    return value == null || value.length() <= max ? value : value.substring(0, max);
  }
}
