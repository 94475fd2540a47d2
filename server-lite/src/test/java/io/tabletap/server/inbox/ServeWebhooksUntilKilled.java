package io.tabletap.server.inbox;

import io.tabletap.server.ServerConfig;
import io.tabletap.server.ServerLite;
import io.tabletap.server.bench.BenchData;
import io.tabletap.server.store.Database;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The child process of {@link WebhookCrashTest}: a real server-lite on a free port over the data
 * dir {@code args[0]}, with {@code args[1]} pending Payconic card payments seeded in bulk
 * ({@code pay_bench_1} …), spread over {@value #CAFES} cafes unless {@code args[2]} is
 * {@code false}, and the store interval {@code args[3]} ms (default: the server's). It tells its
 * parent, on stdout only, {@code port <n>}, {@code ws <n>}, {@code secret <s>}
 * (the sandbox's webhook secret, which the parent signs with) and {@code ready}; then it serves
 * until it is killed. Its log goes to stderr and never carries the secret.
 */
public final class ServeWebhooksUntilKilled {
  private static final int CAFES = 100;

  private ServeWebhooksUntilKilled() {}

  public static void main(String[] args) throws Exception {
    PrintStream out = System.out;
    Path dataDir = Path.of(args[0]);
    int payments = Integer.parseInt(args[1]);
    boolean spread = args.length <= 2 || Boolean.parseBoolean(args[2]);
    Duration storeInterval = args.length <= 3 ? Database.DEFAULT_STORE_INTERVAL : Duration.ofMillis(Long.parseLong(args[3]));
    ServerLite server = ServerLite.start(ServerConfig.forTest(dataDir).withStoreInterval(storeInterval), Clock.systemUTC());
    // the same H2 database as the server's (one JVM, one URL, so the same store interval)
    try (Database seeding = Database.open(dataDir, 2, storeInterval)) {
      List<String> ids = BenchData.pendingCardPayments(seeding, payments);
      if (ids.size() != payments) {
        throw new IllegalStateException("Seeded " + ids.size() + " payments, not " + payments);
      }
      if (spread) {
        spreadOverCafes(seeding);
      }
    }
    out.println("port " + server.httpPort());
    out.println("ws " + server.wsPort());
    out.println("secret " + server.sandbox().orElseThrow().config().webhookSecret().reveal());
    out.println("ready");
    out.flush();
    Thread.currentThread().join(); // serve until SIGKILL
  }

  /**
   * Moves the seeded orders and payments to {@value #CAFES} copies of the demo cafe, about 30 each:
   * every paid order refreshes its cafe's kitchen display, which reloads all of that cafe's paid
   * orders, so 3,000 paid orders in one cafe would measure the kitchen display, not the inbox.
   */
  private static void spreadOverCafes(Database db) {
    db.inTransaction(c -> {
      try (Statement s = c.createStatement()) {
        s.execute("INSERT INTO cafes (id, name, currency, tax_mode, tax_rate_bp, zone_id, business_day_start)"
            + " SELECT 'crash-' || X, name, currency, tax_mode, tax_rate_bp, zone_id, business_day_start"
            + " FROM cafes, SYSTEM_RANGE(1, " + CAFES + ") WHERE id = 'demo'");
        s.execute("UPDATE orders SET cafe_id = 'crash-' || (MOD(order_number, " + CAFES + ") + 1)"
            + " WHERE business_date = DATE '2099-01-01'");
        // updated_at in the future: the reconciler asks the gateway about payments left open for
        // two minutes, and the sandbox has never heard of these.
        s.execute("UPDATE payments p SET cafe_id = (SELECT o.cafe_id FROM orders o WHERE o.id = p.order_id),"
            + " updated_at = TIMESTAMP WITH TIME ZONE '2099-01-01 00:00:00Z'"
            + " WHERE p.gateway_transaction_id LIKE 'pay\\_bench\\_%'");
      }
      return null;
    });
  }
}
