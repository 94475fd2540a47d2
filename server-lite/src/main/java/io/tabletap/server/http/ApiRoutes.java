package io.tabletap.server.http;

import io.tabletap.server.audit.AuditLog;
import io.tabletap.server.flow.PaymentFlows;
import io.tabletap.server.menu.CafeStore;
import io.tabletap.server.menu.MenuStore;
import io.tabletap.server.order.OrderService;
import io.tabletap.server.payment.credit.CreditLedger;
import io.tabletap.server.payment.qrbank.PayPage;
import io.tabletap.server.queue.QueueAdmin;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import io.tabletap.server.inbox.WebhookInbox;
import io.tabletap.server.webhook.WebhookVerifier;
import io.tabletap.server.payment.PaymentService;
import io.tabletap.server.payment.RefundService;
import java.util.function.BooleanSupplier;

/** Every route of the HTTP API, in one list; docs/api.md describes each. */
public final class ApiRoutes {
  private ApiRoutes() {}

  /** The services the routes call; one record so adding a feature does not grow a parameter list. */
  public record Services(
      String version, BooleanSupplier databaseHealthy, CafeStore cafes, MenuStore menus, OrderService orders,
      PaymentService payments, RefundService refunds, WebhookInbox webhooks, Map<String, WebhookVerifier> webhookProviders,
      CreditLedger credit, PayPage payPage, AuditLog audit, QueueAdmin queueAdmin,
      DeviceRoutes.Deps deviceAdmin, PaymentFlows paymentFlows) {}

  public static List<Route> all(Services s) {
    List<Route> routes = new ArrayList<>();
    routes.addAll(new SystemRoutes(s.version(), s.databaseHealthy(), s.cafes(), s.menus()).routes());
    routes.addAll(new OrderRoutes(s.orders()).routes());
    routes.addAll(new PaymentRoutes(s.payments(), s.refunds()).routes());
    routes.addAll(new WebhookRoutes(s.webhookProviders(), s.webhooks()).routes());
    routes.addAll(new CreditRoutes(s.credit()).routes());
    routes.addAll(new PayPageRoutes(s.payPage()).routes());
    routes.addAll(new AuditRoutes(s.audit()).routes());
    routes.addAll(new QueueRoutes(s.queueAdmin()).routes());
    routes.addAll(new DeviceRoutes(s.deviceAdmin()).routes());
    routes.addAll(new FlowRoutes(s.paymentFlows()).routes());
    return routes;
  }
}
