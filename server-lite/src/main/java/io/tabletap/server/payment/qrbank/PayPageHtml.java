package io.tabletap.server.payment.qrbank;

import io.tabletap.server.domain.Money;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The pay page's HTML: small, readable on a phone, no scripts, no external resources (the QR is a
 * {@code data:} PNG, the CSS a {@code <style>} block allowed by its hash in {@link
 * #CONTENT_SECURITY_POLICY}). Every value from data goes through {@link #escape}.
 */
public final class PayPageHtml {
  static final String CSS = String.join("\n",
      "body{margin:0;font:17px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1b1b1b;background:#f6f5f2}",
      "main{max-width:28rem;margin:0 auto;padding:1.25rem}",
      "h1{font-size:1.3rem;margin:.2rem 0 1rem}",
      ".amount{font-size:2.2rem;font-weight:700;margin:.2rem 0}",
      ".qr{display:block;width:256px;height:256px;margin:1rem auto;image-rendering:pixelated;background:#fff}",
      "dl{display:grid;grid-template-columns:auto 1fr;gap:.35rem 1rem;background:#fff;padding:1rem;border-radius:.6rem}",
      "dt{color:#5a5a5a}dd{margin:0;font-weight:600;overflow-wrap:anywhere}",
      ".ref{font-family:ui-monospace,Menlo,Consolas,monospace;letter-spacing:.08em}",
      ".note{color:#5a5a5a;font-size:.95rem}",
      ".status{font-size:1.6rem;font-weight:700}");
  /** The response's {@code Content-Security-Policy}: nothing may load, only this CSS applies. */
  public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; img-src data:; style-src 'sha256-" + sha256(CSS)
      + "'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private PayPageHtml() {}

  static String open(String cafeName, BankTransfer t, String expiry, String qrDataUri) {
    BankAccount a = t.account();
    StringBuilder details = new StringBuilder();
    row(details, "Account name", a.accountName(), false);
    if (a.bsb() != null) {
      row(details, "BSB", a.bsbForDisplay(), false);
      row(details, "Account number", a.accountNumber(), false);
    } else {
      row(details, "IBAN", a.ibanForDisplay(), false);
      row(details, "BIC", a.bic(), false);
    }
    row(details, "Amount", amount(t.outstanding()), false);
    row(details, "Reference", t.reference().toString(), true);
    String partial = t.received().isZero() ? "" : "<p class=\"note\">Received so far: " + escape(amount(t.received()))
        + ". Still to pay: " + escape(amount(t.outstanding())) + ".</p>\n";
    return page("Pay " + cafeName,
        "<h1>" + escape(cafeName) + "</h1>\n"
            + "<p class=\"amount\">" + escape(amount(t.outstanding())) + "</p>\n"
            + partial
            + "<p>Pay by bank transfer before <strong>" + escape(expiry) + "</strong>. Scan the code with your banking app, "
            + "or enter these details:</p>\n"
            + "<img class=\"qr\" width=\"256\" height=\"256\" alt=\"QR code with these payment details\" src=\"" + escape(qrDataUri)
            + "\">\n"
            + "<dl>\n" + details + "</dl>\n"
            + "<p class=\"note\">Enter the reference exactly as shown, so that we can match your payment to your order.</p>\n");
  }

  static String paid(String cafeName, BankTransfer t) {
    return page("Paid - " + cafeName,
        "<h1>" + escape(cafeName) + "</h1>\n"
            + "<p class=\"status\">Paid, thank you!</p>\n"
            + "<dl>\n" + row(new StringBuilder(), "Amount", amount(t.amount()), false)
            + row(new StringBuilder(), "Reference", t.reference().toString(), true) + "</dl>\n"
            + "<p class=\"note\">Your payment has arrived. There is nothing more to do.</p>\n");
  }

  static String expired(String cafeName, BankTransfer t, String expiry) {
    return page("Expired - " + cafeName,
        "<h1>" + escape(cafeName) + "</h1>\n"
            + "<p class=\"status\">This payment request has expired</p>\n"
            + "<p>It could be paid until " + escape(expiry) + ". Please do not pay it now: ask at the counter for a new code.</p>\n"
            + "<dl>\n" + row(new StringBuilder(), "Amount", amount(t.amount()), false)
            + row(new StringBuilder(), "Reference", t.reference().toString(), true) + "</dl>\n"
            + "<p class=\"note\">If you paid already, show this page at the counter.</p>\n");
  }

  static String notFound() {
    return page("Payment not found",
        "<h1>Payment not found</h1>\n"
            + "<p>There is no payment with this reference. Check the link, or ask at the counter.</p>\n");
  }

  /** Text made safe for HTML content and double- or single-quoted attributes. */
  public static String escape(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (char c : text.toCharArray()) {
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** "12.40 AUD": the figure to type into a banking app, and its currency. */
  static String amount(Money money) {
    return money.toMajorUnits().toPlainString() + " " + money.currency().getCurrencyCode();
  }

  private static StringBuilder row(StringBuilder out, String label, String value, boolean reference) {
    return out.append("<dt>").append(escape(label)).append("</dt><dd").append(reference ? " class=\"ref\"" : "").append('>')
        .append(escape(value)).append("</dd>\n");
  }

  private static String page(String title, String body) {
    return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        + "<meta name=\"referrer\" content=\"no-referrer\">\n"
        + "<title>" + escape(title) + "</title>\n"
        + "<style>" + CSS + "</style>\n</head>\n<body>\n<main>\n" + body + "</main>\n</body>\n</html>\n";
  }

  private static String sha256(String text) {
    try {
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every JVM has SHA-256", e);
    }
  }
}
