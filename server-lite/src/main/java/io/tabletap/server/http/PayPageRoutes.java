package io.tabletap.server.http;

import io.tabletap.server.payment.qrbank.PayPage;
import io.tabletap.server.payment.qrbank.PayPageHtml;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /pay/{reference}}: the public pay page of a bank transfer (no token; the reference
 * is the capability). Answers HTML in every case, including 404 and 410, never cached.
 */
final class PayPageRoutes {
  private static final Map<String, String> HEADERS = Map.of(
      "Cache-Control", "no-store",
      "Content-Security-Policy", PayPageHtml.CONTENT_SECURITY_POLICY,
      "X-Content-Type-Options", "nosniff",
      "Referrer-Policy", "no-referrer");

  private final PayPage payPage;

  PayPageRoutes(PayPage payPage) {
    this.payPage = payPage;
  }

  List<Route> routes() {
    return List.of(new Route("GET", "/pay/{reference}", Set.of(), request -> {
      PayPage.Page page = payPage.render(request.pathParam("reference"));
      return new Response(page.status(), new RawBody("text/html; charset=utf-8", page.html().getBytes(StandardCharsets.UTF_8)),
          HEADERS);
    }));
  }
}
