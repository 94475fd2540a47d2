package io.tabletap.server;

import io.tabletap.server.audit.AuditLog;
import io.tabletap.server.audit.AuditRecorder;
import io.tabletap.server.config.PrivateFiles;
import io.tabletap.server.device.DeviceService;
import io.tabletap.server.device.PairingService;
import io.tabletap.server.device.TokenHasher;
import io.tabletap.server.event.EventBus;
import io.tabletap.server.event.SynchronousEventBus;
import io.tabletap.server.flow.FlowRoomEvents;
import io.tabletap.server.flow.PaymentFlowJobs;
import io.tabletap.server.flow.PaymentFlows;
import io.tabletap.server.http.ApiRoutes;
import io.tabletap.server.http.DeviceRoutes;
import io.tabletap.server.http.HttpApi;
import io.tabletap.server.menu.CafeStore;
import io.tabletap.server.menu.DemoCafe;
import io.tabletap.server.menu.MenuStore;
import io.tabletap.server.order.OrderService;
import io.tabletap.server.order.OrderStore;
import io.tabletap.server.order.TransitionPolicy;
import io.tabletap.server.payment.GatewayEvents;
import io.tabletap.server.payment.PaymentGateways;
import io.tabletap.server.payment.PaymentReconciler;
import io.tabletap.server.payment.PaymentService;
import io.tabletap.server.payment.PaymentStore;
import io.tabletap.server.payment.RefundService;
import io.tabletap.server.payment.cash.CashGateway;
import io.tabletap.server.store.JdbcPaymentStore;
import io.tabletap.server.payment.credit.CreditGateway;
import io.tabletap.server.payment.credit.CreditLedger;
import io.tabletap.server.payment.qrbank.BankSettingsService;
import io.tabletap.server.payment.qrbank.BankTransferReconciler;
import io.tabletap.server.payment.qrbank.BankTransferSettlement;
import io.tabletap.server.payment.qrbank.BankWebhookVerifier;
import io.tabletap.server.payment.qrbank.TransferReceived;
import io.tabletap.server.inbox.WebhookProcessor;
import io.tabletap.server.inbox.WebhookInbox;
import io.tabletap.server.inbox.WebhookJob;
import io.tabletap.server.inbox.WebhookFailures;
import io.tabletap.server.queue.DefaultQueues;
import io.tabletap.server.queue.Queue;
import io.tabletap.server.payment.qrbank.PayPage;
import io.tabletap.server.payment.qrbank.QrBankGateway;
import io.tabletap.server.queue.Queues;
import io.tabletap.server.store.Database;
import io.tabletap.server.store.JdbcAuditStore;
import io.tabletap.server.realtime.CommandService;
import io.tabletap.server.realtime.LogPruner;
import io.tabletap.server.realtime.RealTimeStateManager;
import io.tabletap.server.realtime.RoomHub;
import io.tabletap.server.realtime.RoomPolicy;
import io.tabletap.server.realtime.RoomSnapshots;
import io.tabletap.server.realtime.StateSynchronizationService;
import io.tabletap.server.store.JdbcCommandResultStore;
import io.tabletap.server.store.JdbcEventLog;
import io.tabletap.server.store.ServerRuns;
import io.tabletap.server.store.JdbcPairingStore;
import io.tabletap.server.store.JdbcBankSettingsStore;
import io.tabletap.server.store.JdbcBankTransferStore;
import io.tabletap.server.store.JdbcCafeStore;
import io.tabletap.server.store.JdbcCreditStore;
import io.tabletap.server.store.JdbcDeviceStore;
import io.tabletap.server.store.JdbcMenuStore;
import io.tabletap.server.store.JdbcOrderStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import io.tabletap.server.payment.payconic.PayconicGateway;
import io.tabletap.server.sandbox.PayconicSandbox;
import io.tabletap.server.ws.WsEndpoint;
import io.tabletap.server.tx.Transactions;
import okhttp3.OkHttpClient;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * server-lite as one object: {@link #start}, {@link #httpPort()}, {@link #close()}. The
 * composition root: it builds the whole graph by constructor injection, and nothing else does.
 */
public final class ServerLite implements AutoCloseable {
  public static final String ADMIN_TOKEN_FILE = "admin-token";
  public static final String BANK_WEBHOOK_SECRET_FILE = "bank-webhook-secret";
  private static final Logger log = LoggerFactory.getLogger(ServerLite.class);

  private final ServerConfig config;
  private final Database database;
  private final DeviceService devices;
  private final OrderService orders;
  private final PaymentService payments;
  /** Open payments older than this are verified with their gateway, on start and then regularly. */
  static final Duration RECONCILE_AFTER = Duration.ofMinutes(2);
  static final Duration RECONCILE_EVERY = Duration.ofMinutes(1);
  private final java.util.concurrent.ScheduledExecutorService timers = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
      r -> {
        Thread t = new Thread(r, "timers");
        t.setDaemon(true);
        return t;
      });
  private PaymentReconciler reconciler;
  private final OkHttpClient httpClient = new OkHttpClient();
  private PayconicSandbox sandbox;
  private final BankTransferSettlement bankSettlement;
  private final CreditLedger credit;
  private final EventBus events;
  private final AuditLog audit;
  private final Queues queues;
  private final HttpApi http;
  private final BankSettingsService bankSettings;
  private final QrBankGateway qrBank;
  private final BankTransferReconciler bankTransfers;
  private final String firstAdminToken;
  private final RoomHub rooms;
  private WsEndpoint ws;
  private StateSynchronizationService sync;
  private LogPruner pruner;
  private RealTimeStateManager realtimeState;
  /** This run of the server; its clean stop is recorded last (decision 0032). */
  private ServerRuns run;

  private ServerLite(ServerConfig config, Clock clock) throws IOException {
    this.config = config;
    this.database = openStore(config);
    try {
      CafeStore cafes = new JdbcCafeStore(database);
      MenuStore menus = new JdbcMenuStore(database);
      OrderStore orderStore = new JdbcOrderStore(database);
      this.events = new SynchronousEventBus();
      this.audit = auditLog(database, clock);
      AuditRecorder.subscribe(events, audit);
      this.queues = Queues.withDefaults(database, events, clock, config.dataDir().resolve("journal"));
      this.devices = devices(database, clock);
      this.orders = new OrderService(cafes, menus, orderStore, events, new TransitionPolicy(), clock, database);
      this.credit = new CreditLedger(new JdbcCreditStore(database), cafes, clock);
      seedDemoCafe(cafes, menus);
      this.bankSettings = new BankSettingsService(new JdbcBankSettingsStore(database, clock), cafes);
      bankSettings.seedDemoCafe(DemoCafe.ID);
      JdbcBankTransferStore transfers = new JdbcBankTransferStore(database, clock);
      this.qrBank = new QrBankGateway(bankSettings, transfers, new SecureRandom(), this::publicUrl, clock);
      this.bankTransfers = new BankTransferReconciler(transfers, clock);
      this.firstAdminToken = devices.ensureAdmin(DemoCafe.ID).map(issued -> {
        writeAdminToken(config.dataDir(), issued.token());
        return issued.token();
      }).orElse(null);
      this.sandbox = config.payments().useSandbox() ? PaymentProviders.startSandbox(config, clock, httpClient) : null;
      PayconicGateway payconic = PaymentProviders.payconicGateway(config, sandbox, httpClient, clock);
      PaymentStore paymentStore = new JdbcPaymentStore(database);
      PaymentGateways gateways = PaymentGateways.of(payconic, qrBank, new CreditGateway(credit), new CashGateway());
      this.payments = new PaymentService(paymentStore, cafes, gateways, events, clock, database);
      RefundService refunds = new RefundService(paymentStore, gateways, events, clock, database);
      GatewayEvents gatewayEvents = new GatewayEvents(paymentStore, payments, refunds);
      this.bankSettlement = new BankTransferSettlement(bankTransfers, payments);
      this.reconciler = new PaymentReconciler(paymentStore, payments, clock, RECONCILE_AFTER);
      this.run = ServerRuns.begin(database, clock);
      JdbcEventLog eventLog = new JdbcEventLog(database, run.band());
      this.rooms = new RoomHub(eventLog, key -> realtimeState.state(key), config.realtime(), clock, database);
      this.realtimeState = new RealTimeStateManager(orders, payments, rooms, eventLog, new RoomSnapshots(orders, payments), clock);
      this.pruner = LogPruner.start(rooms);
      this.sync = new StateSynchronizationService(events, rooms, List.of(realtimeState), List.of(new FlowRoomEvents()),
          database);
      new PaymentFlowJobs(payments, orders, new JdbcDeviceStore(database)::find).register(queues);
      RoomPolicy roomPolicy = new RoomPolicy(
          (cafe, id) -> orderStore.find(id).filter(o -> o.order().cafeId().equals(cafe)).isPresent(),
          (cafe, id) -> paymentStore.find(id).filter(p -> cafe.equals(p.cafeId())).isPresent());
      this.ws = WsEndpoint.start(config.bindAddress(), config.realtime(), new WsEndpoint.Services(devices, roomPolicy, rooms,
          new CommandService(orders, payments, refunds, new JdbcCommandResultStore(database), rooms, clock), clock));
      this.http = new HttpApi(ApiRoutes.all(new ApiRoutes.Services(Version.current(), database::isHealthy, cafes, menus, orders,
          payments, refunds, webhookInbox(paymentStore, new WebhookProcessor(gatewayEvents, bankSettlement), clock),
          Map.of(PayconicGateway.PROVIDER, payconic::handleWebhook,
              TransferReceived.PROVIDER, new BankWebhookVerifier(List.of(PaymentProviders.bankWebhookSecret(config)), clock)),
          credit,
          new PayPage(transfers, cafes, clock), audit, queues.admin(),
          new DeviceRoutes.Deps(devices, new PairingService(new JdbcPairingStore(database), devices, new SecureRandom(), clock),
              id -> ws.disconnect(id), () -> ws.port(), config.payments().publicUrl()),
          new PaymentFlows(queues, orders, payments))), devices);
      http.start(config.bindAddress(), config.httpPort(), config.httpThreads(), config.httpQueue());
      every(Duration.ZERO, RECONCILE_EVERY, () -> reconciler.runOnce(), "Payment reconciliation");
      every(Duration.ofMinutes(1), Duration.ofMinutes(1), () -> realtimeState.evictExpired(),
          "Forgetting expired real-time states");
      if (sandbox != null) {
        // The sandbox learns where to deliver only now: with port 0 our port is known after start.
        sandbox.setWebhookUrl(localUrl() + "/webhooks/" + PayconicGateway.PROVIDER);
      }
      queues.start(); // last: nothing after it can fail and leave its threads running
    } catch (IOException | RuntimeException e) {
      timers.shutdownNow();
      if (pruner != null) {
        pruner.close();
      }
      if (sync != null) {
        sync.close();
      }
      if (ws != null) {
        ws.stop();
      }
      if (sandbox != null) {
        sandbox.close();
      }
      database.close();
      throw e;
    }
    log.info("TableTap server-lite {} listening on http://{}:{} and ws://{}:{}{} (data in {})", Version.current(),
        config.bindAddress(), http.port(), config.bindAddress(), ws.port(), WsEndpoint.PATH, config.dataDir().toAbsolutePath());
  }

  /** Runs {@code task} on the timer thread; a failure is logged (a timer task that throws is never run again). */
  private void every(Duration first, Duration period, Runnable task, String what) {
    timers.scheduleWithFixedDelay(() -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        log.error("{} failed", what, e);
      }
    }, first.toMillis(), period.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  /** The webhook queue's way in, its worker and its dead-letter watch. */
  private WebhookInbox webhookInbox(PaymentStore paymentStore, WebhookProcessor processor, Clock clock) {
    Queue queue = queues.queue(DefaultQueues.WEBHOOK_PROCESSING);
    queue.handle(WebhookInbox.JOB_NAME, new WebhookJob(processor, audit));
    WebhookFailures.watch(events, queue, paymentStore, audit);
    return new WebhookInbox(queue, audit, clock);
  }

  /** How this process reaches its own HTTP port. */
  private String localUrl() {
    String host = config.bindAddress().equals("0.0.0.0") || config.bindAddress().equals("::") ? "127.0.0.1" : config.bindAddress();
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + http.port();
  }

  /** Opens the store in the data dir, seeds the demo cafe on first start and starts serving. */
  public static ServerLite start(ServerConfig config, Clock clock) throws IOException {
    return new ServerLite(config, clock);
  }

  /** Opens (and migrates) the database; shared by {@code serve} and the {@code token} command. */
  static Database openStore(ServerConfig config) {
    try {
      Files.createDirectories(config.dataDir());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create data directory " + config.dataDir().toAbsolutePath(), e);
    }
    return Database.open(config.dataDir(), config.dbConnections(), config.storeInterval());
  }

  static DeviceService devices(Database database, Clock clock) {
    return new DeviceService(new JdbcDeviceStore(database), new TokenHasher(new SecureRandom()), clock);
  }

  /** The audit log in {@code database}; shared by {@code serve} and the {@code audit verify} command. */
  static AuditLog auditLog(Database database, Clock clock) {
    return new AuditLog(new JdbcAuditStore(database), clock, database);
  }

  /** The demo cafe and menu, on a database that has no cafe of that id yet. */
  static void seedDemoCafe(CafeStore cafes, MenuStore menus) {
    if (cafes.find(DemoCafe.ID).isEmpty()) {
      cafes.insert(DemoCafe.cafe());
      menus.replace(DemoCafe.menu());
      log.info("Created the demo cafe '{}' with {} menu items", DemoCafe.ID,
          DemoCafe.menu().categories().stream().mapToInt(c -> c.items().size()).sum());
    }
  }

  private static void writeAdminToken(Path dataDir, String token) {
    Path file = dataDir.resolve(ADMIN_TOKEN_FILE);
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    PrivateFiles.writeNew(file, token + System.lineSeparator());
  }

  public int httpPort() {
    return http.port();
  }

  /** The WebSocket port (path {@code /ws}); the bound one when {@code ws.port} is 0. */
  public int wsPort() {
    return ws.port();
  }

  /** The WebSocket endpoint (tests reach its connections through it). */
  public WsEndpoint wsEndpoint() {
    return ws;
  }

  /** The real-time rooms: publish events to them ({@link RoomHub#publish}). */
  public RoomHub rooms() {
    return rooms;
  }

  /** Order, payment and kitchen display state with the seed's TTLs; what snapshots carry. */
  public RealTimeStateManager realtimeState() {
    return realtimeState;
  }

  public ServerConfig config() {
    return config;
  }

  /** The ADMIN token made on this start, if this was the first start; shown once. */
  public Optional<String> firstAdminToken() {
    return Optional.ofNullable(firstAdminToken);
  }

  public DeviceService devices() {
    return devices;
  }

  /** The database's transactions: work tied to the commit of the one open on this thread. */
  public Transactions transactions() {
    return database;
  }

  public EventBus events() {
    return events;
  }

  /** The audit log: webhook and job steps append to it; payment events are recorded by themselves. */
  public AuditLog audit() {
    return audit;
  }

  public OrderService orders() {
    return orders;
  }

  /** The embedded Payconic sandbox, when no real Payconic is configured. */
  public Optional<PayconicSandbox> sandbox() {
    return Optional.ofNullable(sandbox);
  }

  public PaymentService payments() {
    return payments;
  }

  /** Applies the bank's transfer notifications to payments. */
  public BankTransferSettlement bankSettlement() {
    return bankSettlement;
  }

  /** Customer credit accounts and their ledger (the credit gateway is built on it). */
  public CreditLedger credit() {
    return credit;
  }

  /** The base URL phones reach this server by: {@code public.url}, else {@code http://localhost:<port>}. */
  public String publicUrl() {
    String configured = config.payments().publicUrl();
    return configured != null ? configured : "http://localhost:" + http.port();
  }

  public BankSettingsService bankSettings() {
    return bankSettings;
  }

  /** The QR bank transfer gateway, for {@code PaymentGateways.of(…, qrBank, …)}. */
  public QrBankGateway qrBank() {
    return qrBank;
  }

  /** Matches the bank's {@code transfer.received} notifications; the payment service applies the results. */
  public BankTransferReconciler bankTransfers() {
    return bankTransfers;
  }

  public PaymentReconciler reconciler() {
    return reconciler;
  }

  /**
   * The durable job queues, started with the server. Their handlers are registered in the
   * constructor before {@code queues.start()}, e.g.
   * {@code queues.queue("webhook-processing").handle("process_webhook", handler)}.
   */
  public Queues queues() {
    return queues;
  }

  /**
   * Finishes requests in flight (up to the grace period), then lets running jobs finish (up to
   * the grace period again) and gives the rest back to their queues, then closes the database.
   */
  @Override
  public void close() {
    ws.stop();
    http.stop(config.shutdownGraceSeconds());
    timers.shutdownNow();
    queues.close(Duration.ofSeconds(config.shutdownGraceSeconds()));
    sync.close(); // after the requests in flight: their events are still logged for clients to resume
    pruner.close();
    if (sandbox != null) {
      sandbox.close();
    }
    httpClient.dispatcher().executorService().shutdown();
    httpClient.connectionPool().evictAll();
    run.end(); // nothing writes any more: the next run may go on numbering where this one stopped
    database.close();
    log.info("server-lite stopped");
  }
}
