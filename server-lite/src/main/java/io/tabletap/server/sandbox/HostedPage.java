package io.tabletap.server.sandbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hosted payment page a payment's {@code redirectUrl} points at: {@code GET /pay/{id}} shows
 * the amount and the merchant with Approve and Decline buttons, which POST to {@code
 * /pay/{id}/approve} and {@code /pay/{id}/decline}; the answer is a 303 to the payment's {@code
 * returnUrl} (with {@code paymentId} and {@code status} added) or back to the page, which then
 * shows the outcome. No login: the payment id is unguessable. Faults do not act here.
 */
final class HostedPage implements HttpHandler {
  private static final Logger log = LoggerFactory.getLogger(HostedPage.class);

  private final PayconicSandbox sandbox;
  private final SandboxLedger ledger;
  private final SandboxConfig config;

  HostedPage(PayconicSandbox sandbox, SandboxLedger ledger, SandboxConfig config) {
    this.sandbox = sandbox;
    this.ledger = ledger;
    this.config = config;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String[] parts = exchange.getRequestURI().getRawPath().substring(1).split("/", -1);
      String method = exchange.getRequestMethod();
      try {
        if (parts.length == 2 && method.equals("GET")) {
          SandboxPayment payment = ledger.find(parts[1]).orElseThrow(() -> SandboxLedger.notFound(parts[1]));
          Exchanges.sendHtml(exchange, 200, page(payment));
        } else if (parts.length == 3 && method.equals("POST") && (parts[2].equals("approve") || parts[2].equals("decline"))) {
          Exchanges.body(exchange);
          ledger.find(parts[1]).orElseThrow(() -> SandboxLedger.notFound(parts[1]));
          boolean approve = parts[2].equals("approve");
          if (approve) {
            sandbox.approve(parts[1]);
          } else {
            sandbox.decline(parts[1]);
          }
          SandboxPayment payment = ledger.find(parts[1]).orElseThrow();
          Exchanges.redirect(exchange, afterwards(payment));
        } else {
          Exchanges.sendHtml(exchange, 404, shell("Not found", "<h1>Not found</h1><p>There is no such page.</p>"));
        }
      } catch (SandboxException e) {
        Exchanges.sendHtml(exchange, e.status, shell("Payment not found", "<h1>Payment not found</h1><p>"
            + Exchanges.html(e.getMessage()) + "</p>"));
      } catch (IOException e) {
        log.debug("Sandbox: browser went away: {}", e.toString());
      }
    }
  }

  private String afterwards(SandboxPayment payment) {
    String returnUrl = payment.request().returnUrl();
    if (returnUrl == null) {
      return "/pay/" + payment.id();
    }
    return returnUrl + (returnUrl.contains("?") ? "&" : "?") + "paymentId=" + URLEncoder.encode(payment.id(), StandardCharsets.UTF_8)
        + "&status=" + payment.status();
  }

  private String page(SandboxPayment payment) {
    String amount = payment.amount().toMajorUnits().toPlainString() + " " + payment.amount().currency().getCurrencyCode();
    StringBuilder main = new StringBuilder();
    main.append("<p class=\"brand\">Payconic <span>sandbox</span></p>");
    main.append("<h1>Pay <span class=\"amount\">").append(Exchanges.html(amount)).append("</span></h1>");
    main.append("<p>to <strong>").append(Exchanges.html(config.merchantName())).append("</strong></p>");
    if (payment.request().description() != null) {
      main.append("<p>").append(Exchanges.html(payment.request().description())).append("</p>");
    }
    main.append("<p class=\"small\">").append(Exchanges.html(payment.request().method().replace('_', ' ')))
        .append(" · ").append(Exchanges.html(payment.id())).append("</p>");
    if (payment.status().equals(SandboxPayment.PENDING)) {
      String base = "/pay/" + Exchanges.html(payment.id());
      main.append("<form method=\"post\" action=\"").append(base).append("/approve\"><button class=\"approve\">Approve</button></form>");
      main.append("<form method=\"post\" action=\"").append(base).append("/decline\"><button class=\"decline\">Decline</button></form>");
    } else {
      main.append("<p class=\"outcome ").append(payment.status()).append("\">Payment ").append(payment.status()).append("</p>");
    }
    main.append("<p class=\"small\">A test page: no real money moves.</p>");
    return shell("Pay " + amount + " — Payconic sandbox", main.toString());
  }

  private static String shell(String title, String main) {
    return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        + "<title>" + Exchanges.html(title) + "</title><style>"
        + "body{font-family:system-ui,sans-serif;background:#f4f5f7;margin:0;display:flex;justify-content:center}"
        + "main{background:#fff;margin:2rem 1rem;padding:1.5rem 2rem;border-radius:12px;max-width:24rem;width:100%;"
        + "box-shadow:0 2px 8px #0002;text-align:center}"
        + ".brand{font-weight:700;color:#3b3bb3}.brand span{font-weight:400;color:#888}"
        + "h1{font-size:2rem;margin:.5rem 0}.small{color:#777;font-size:.85rem}"
        + "button{width:100%;font-size:1.2rem;padding:.8rem;margin:.4rem 0;border:0;border-radius:8px;cursor:pointer;color:#fff}"
        + ".approve{background:#1a7f37}.decline{background:#b42318}"
        + ".outcome{font-size:1.3rem;font-weight:700}.succeeded{color:#1a7f37}.failed{color:#b42318}"
        + "</style></head><body><main>" + main + "</main></body></html>";
  }
}
