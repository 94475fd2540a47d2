package io.tabletap.server.bench;

import io.tabletap.server.ServerLite;
import io.tabletap.server.config.Secret;
import io.tabletap.server.domain.Payment;
import io.tabletap.server.domain.PaymentCompleted;
import io.tabletap.server.store.Database;
import io.tabletap.server.tx.CommitHook;
import io.tabletap.server.webhook.WebhookSignature;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ObjLongConsumer;
import java.util.stream.Stream;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.FileStore;

/**
 * Seeds orders with one pending Payconic payment each, in bulk SQL: a benchmark needs tens of
 * thousands of them, and making each through the API would take minutes.
 */
public final class BenchData {
  private BenchData() {}

  /** A seeded payment: its Payconic id and the id of the order it pays. */
  record Seeded(String payconicId, UUID orderId) {}

  /** The Payconic ids of {@code count} pending card payments of 4.50 AUD, one per order. */
  public static List<String> pendingCardPayments(Database db, int count) {
    return pendingCardPaymentsWithOrders(db, count).stream().map(Seeded::payconicId).toList();
  }

  /** {@code count} pending card payments of 4.50 AUD, one per PAYMENT_PENDING order, with their order ids. */
  static List<Seeded> pendingCardPaymentsWithOrders(Database db, int count) {
    return db.inTransaction(c -> {
      try (Statement s = c.createStatement()) {
        s.execute("CREATE LOCAL TEMPORARY TABLE bench_ids AS SELECT X AS n, RANDOM_UUID(7) AS order_id, RANDOM_UUID(7) AS payment_id"
            + " FROM SYSTEM_RANGE(1, " + count + ")");
        s.execute("INSERT INTO orders (id, cafe_id, order_number, business_date, order_type, table_name, status, subtotal, tax, total,"
            + " currency, request_hash, created_at, updated_at, version) SELECT order_id, 'demo', n, DATE '2099-01-01', 'TAKEAWAY',"
            + " NULL, 'PAYMENT_PENDING', 450, 41, 450, 'AUD', 'bench', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1 FROM bench_ids");
        s.execute("INSERT INTO order_lines (order_id, line_no, item_id, item_name, quantity, note, unit_price, line_total)"
            + " SELECT order_id, 0, 'long-black', 'Long black', 1, NULL, 450, 450 FROM bench_ids");
        s.execute("INSERT INTO payments (id, order_id, cafe_id, method, amount, currency, status, refunded, gateway_transaction_id,"
            + " created_at, updated_at) SELECT payment_id, order_id, 'demo', 'PAYCONIC_CARD', 450, 'AUD', 'PENDING', 0,"
            // updated in 2099: the reconciler leaves them alone (the sandbox never saw these payments)
            + " 'pay_bench_' || n, CURRENT_TIMESTAMP, TIMESTAMP WITH TIME ZONE '2099-01-01 00:00:00Z' FROM bench_ids");
        // the rooms the API would have made for them (payment_initiated went to both), their first
        // event pruned: without them a webhook's commit inserted two room rows the real flow never does
        s.execute("INSERT INTO realtime_rooms (cafe_id, room, last_seq, pruned_through) SELECT 'demo', 'order:' || order_id, 1, 1"
            + " FROM bench_ids UNION ALL SELECT 'demo', 'payment:' || payment_id, 1, 1 FROM bench_ids");
        List<Seeded> ids = new ArrayList<>(count);
        try (ResultSet rs = s.executeQuery("SELECT 'pay_bench_' || n, order_id FROM bench_ids ORDER BY n")) {
          while (rs.next()) {
            ids.add(new Seeded(rs.getString(1), rs.getObject(2, UUID.class)));
          }
        }
        s.execute("DROP TABLE bench_ids");
        return ids;
      }
    });
  }

  /**
   * Calls {@code committed} with each payment made COMPLETED and the time (nanoTime) its
   * transaction committed: the bus hears of the payment inside that transaction, before the commit
   * that is most of the webhook worker's time, so the time is taken after it.
   */
  static void whenCompletedCommits(ServerLite server, ObjLongConsumer<Payment> committed) {
    server.events().subscribe(PaymentCompleted.class, e -> server.transactions().atEnd(new CommitHook() {
      @Override
      public void afterCommit() {
        committed.accept(e.payment(), System.nanoTime());
      }
    }));
  }

  /**
   * What H2 has written to its file so far, {writes, bytes}: every commit with WRITE_DELAY=0
   * rewrites each B-tree page it changed, so bytes per webhook is what a schema or a page-size
   * change costs the worker. H2 keeps the byte count private, hence the reflection (a benchmark's
   * diagnostic only).
   */
  static long[] h2Writes(Database db) {
    return db.read(c -> {
      FileStore<?> file = h2Of(c).getStore().getMvStore().getFileStore();
      try {
        Field bytes = FileStore.class.getDeclaredField("writeBytes");
        bytes.setAccessible(true);
        return new long[] {file.getWriteCount(), ((AtomicLong) bytes.get(file)).get()};
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("H2's FileStore has no writeBytes counter any more", e);
      }
    });
  }

  /** H2's own database object behind {@code c}, an embedded connection: for its store's internals. */
  static org.h2.engine.Database h2Of(java.sql.Connection c) throws java.sql.SQLException {
    return ((SessionLocal) c.unwrap(JdbcConnection.class).getSession()).getDatabase();
  }

  public static long count(Database db, String sql) {
    return db.read(c -> {
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }

  /** A Payconic {@code payment.succeeded} delivery for the payment {@code payconicId}, as the benchmarks send it. */
  public static byte[] paymentSucceeded(String eventId, String payconicId) {
    return ("{\"eventId\":\"" + eventId + "\",\"eventType\":\"payment.succeeded\",\"paymentId\":\"" + payconicId
        + "\",\"orderId\":null,\"amount\":450,\"currency\":\"AUD\",\"occurredAt\":\"2026-11-26T00:00:00Z\"}")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** The headers of a delivery of {@code body} signed now with {@code secret}, as Payconic sends it. */
  public static Map<String, String> signedHeaders(Secret secret, byte[] body) {
    return Map.of("Content-Type", "application/json",
        "Payconic-Signature", WebhookSignature.sign(secret, System.currentTimeMillis() / 1000, body));
  }

  /**
   * Deletes a benchmark's data directory: a run writes gigabytes (H2 keeps 45 s of superseded
   * chunks, and a run commits hundreds of times a second), and runs left in the temp dir once
   * filled this machine's disk.
   */
  static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
