package io.tabletap.server;

import io.tabletap.server.realtime.RealtimeConfig;
import io.tabletap.server.store.Database;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything server-lite can be told, immutable and validated. Built by {@link ConfigLoader}
 * from defaults, {@code tabletap.properties} in the data dir, {@code TABLETAP_*} environment
 * variables and command-line flags, later ones winning.
 *
 * @param dataDir where the database, secrets and properties live
 * @param httpPort 0 picks a free port (tests)
 * @param httpThreads handler threads; requests beyond them wait in a queue of {@code httpQueue}
 * @param shutdownGraceSeconds how long a stop waits for requests in flight
 * @param payments how to reach the payment providers (or the embedded sandbox)
 * @param realtime the WebSocket endpoint: its port ({@code ws.port}) and limits
 * @param storeInterval the longest a webhook batch's commit waits to be written to the database
 *     file; its webhooks stay in the job journal until it is (decision 0032)
 */
public record ServerConfig(
    Path dataDir, int httpPort, String bindAddress, int httpThreads, int httpQueue, int dbConnections, int shutdownGraceSeconds,
    PaymentsConfig payments, RealtimeConfig realtime, Duration storeInterval) {

  public static final int DEFAULT_HTTP_PORT = 8080;

  public static ServerConfig defaults() {
    return new ServerConfig(Path.of("data"), DEFAULT_HTTP_PORT, "0.0.0.0", 16, 256, 16, 10, PaymentsConfig.defaults(),
        RealtimeConfig.defaults(), Database.DEFAULT_STORE_INTERVAL);
  }

  /** For tests and embedding: the defaults with another data dir and a free port. */
  public static ServerConfig forTest(Path dataDir) {
    return defaults().withDataDir(dataDir).withHttpPort(0).withBindAddress("127.0.0.1")
        .withRealtime(RealtimeConfig.defaults().withPort(0));
  }

  public ServerConfig withDataDir(Path dir) {
    return new ServerConfig(dir, httpPort, bindAddress, httpThreads, httpQueue, dbConnections, shutdownGraceSeconds, payments, realtime, storeInterval);
  }

  public ServerConfig withHttpPort(int port) {
    return new ServerConfig(dataDir, port, bindAddress, httpThreads, httpQueue, dbConnections, shutdownGraceSeconds, payments, realtime, storeInterval);
  }

  public ServerConfig withPayments(PaymentsConfig newPayments) {
    return new ServerConfig(dataDir, httpPort, bindAddress, httpThreads, httpQueue, dbConnections, shutdownGraceSeconds, newPayments, realtime, storeInterval);
  }

  public ServerConfig withBindAddress(String bind) {
    return new ServerConfig(dataDir, httpPort, bind, httpThreads, httpQueue, dbConnections, shutdownGraceSeconds, payments, realtime, storeInterval);
  }

  public ServerConfig withRealtime(RealtimeConfig newRealtime) {
    return new ServerConfig(dataDir, httpPort, bindAddress, httpThreads, httpQueue, dbConnections, shutdownGraceSeconds, payments,
        newRealtime, storeInterval);
  }

  public ServerConfig withStoreInterval(Duration interval) {
    return new ServerConfig(dataDir, httpPort, bindAddress, httpThreads, httpQueue, dbConnections, shutdownGraceSeconds, payments,
        realtime, interval);
  }
}
