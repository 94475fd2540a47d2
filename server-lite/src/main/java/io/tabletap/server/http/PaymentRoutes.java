package io.tabletap.server.http;

import io.tabletap.server.errors.ApiException;
import io.tabletap.server.device.Role;
import io.tabletap.server.domain.Payment;
import io.tabletap.server.domain.PaymentMethod;
import io.tabletap.server.domain.Refund;
import io.tabletap.server.payment.PaymentRefusedException;
import io.tabletap.server.payment.PaymentService;
import io.tabletap.server.payment.QrCode;
import io.tabletap.server.payment.RefundService;
import io.tabletap.server.payment.StartPayment;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Payments of orders, their QR codes, refunds and manual confirmation. */
final class PaymentRoutes {
  private static final Set<Role> TILL = EnumSet.of(Role.ADMIN, Role.CASHIER);
  private static final Set<Role> VIEWERS = EnumSet.of(Role.ADMIN, Role.CASHIER, Role.CUSTOMER_DISPLAY);

  private final PaymentService payments;
  private final RefundService refunds;

  PaymentRoutes(PaymentService payments, RefundService refunds) {
    this.payments = payments;
    this.refunds = refunds;
  }

  List<Route> routes() {
    return List.of(
        new Route("POST", "/api/orders/{id}/payments", TILL, this::start),
        new Route("GET", "/api/orders/{id}/payments", VIEWERS, r -> Response.ok(
            payments.forOrder(r.device().cafeId(), Ids.uuid(r, "id", "order")).stream().map(p -> view(p, null)).toList())),
        new Route("GET", "/api/payments/{id}", VIEWERS, r -> Response.ok(view(payments.get(r.device().cafeId(), paymentId(r)), null))),
        new Route("GET", "/api/payments/{id}/qr.png", VIEWERS, this::qrImage),
        new Route("POST", "/api/payments/{id}/refunds", TILL, this::refund),
        new Route("GET", "/api/payments/{id}/refunds", TILL, r -> Response.ok(
            refunds.refundsOf(r.device().cafeId(), paymentId(r)).stream().map(PaymentRoutes::view).toList())),
        new Route("POST", "/api/payments/{id}/confirm", TILL, this::confirm),
        new Route("POST", "/api/payments/{id}/cancel", TILL, r -> Response.ok(view(payments.cancel(r.device(), paymentId(r)), null))));
  }

  record StartBody(PaymentMethod method, Long amount, Long tendered, String creditAccountId) {}

  record RefundBody(Long amount, String reason) {}

  record ConfirmBody(String reason) {}

  record QrView(String reference, String paymentUrl, Instant expiresAt, String imageUrl) {}

  record PaymentView(UUID id, UUID orderId, String method, long amount, String currency, String status, long refunded,
      String gatewayTransactionId, String redirectUrl, QrView qr, Long tendered, Long change, String creditAccountId, String flag,
      String errorMessage, String confirmedBy, String confirmReason, Instant createdAt, Instant updatedAt) {}

  record RefundView(UUID id, UUID paymentId, long amount, String currency, String status, String reason, String actor,
      String errorMessage, Instant createdAt, Instant updatedAt) {}

  private Response start(Request request) throws Exception {
    StartBody body = request.bodyAs(StartBody.class);
    PaymentService.Started started = payments.start(request.device(), Ids.uuid(request, "id", "order"),
        new StartPayment(body.method(), body.amount(), body.tendered(), body.creditAccountId()),
        request.header("Idempotency-Key").orElse(null));
    PaymentView view = view(started.payment(), started.qr().orElse(null));
    return started.created() ? Response.created(view, "/api/payments/" + view.id()) : Response.ok(view);
  }

  private Response qrImage(Request request) {
    QrCode qr = payments.qrCode(request.device().cafeId(), paymentId(request))
        .orElseThrow(() -> new ApiException(404, "not_found", "This payment has no QR code (not an open bank transfer)"));
    return Response.of(200, new RawBody("image/png", qr.png()));
  }

  private Response refund(Request request) throws Exception {
    RefundBody body = request.bodyAs(RefundBody.class);
    Refund refund = refunds.refund(request.device(), paymentId(request), body.amount(), body.reason(),
        request.header("Idempotency-Key").orElse(null));
    if (refund.status() == Refund.Status.FAILED) {
      throw new PaymentRefusedException(PaymentRefusedException.Kind.INVALID, "refund_failed",
          "The provider refused the refund: " + refund.errorMessage(), java.util.Map.of("refundId", refund.id().toString()));
    }
    return Response.created(view(refund), "/api/payments/" + refund.paymentId() + "/refunds");
  }

  private Response confirm(Request request) throws Exception {
    ConfirmBody body = request.bodyAs(ConfirmBody.class);
    return Response.ok(view(payments.confirm(request.device(), paymentId(request), body.reason()), null));
  }

  private static UUID paymentId(Request request) {
    return Ids.uuid(request, "id", "payment");
  }

  static PaymentView view(Payment p, QrCode qr) {
    QrView qrView = qr == null ? null
        : new QrView(qr.qrCodeId(), qr.paymentUrl(), qr.expiresAt(), "/api/payments/" + p.id() + "/qr.png");
    return new PaymentView(p.id(), p.orderId(), p.method().name(), p.amount().minorUnits(), p.amount().currency().getCurrencyCode(),
        p.status().name(), p.refunded().minorUnits(), p.gatewayTransactionId(), p.redirectUrl(), qrView,
        p.tendered() == null ? null : p.tendered().minorUnits(), p.change() == null ? null : p.change().minorUnits(),
        p.creditAccountId(), p.flag(), p.errorMessage(), p.confirmedBy(), p.confirmReason(), p.createdAt(), p.updatedAt());
  }

  static RefundView view(Refund r) {
    return new RefundView(r.id(), r.paymentId(), r.amount().minorUnits(), r.amount().currency().getCurrencyCode(),
        r.status().name(), r.reason(), r.actor(), r.errorMessage(), r.createdAt(), r.updatedAt());
  }
}
