package io.tabletap.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import io.tabletap.server.domain.Money;
import io.tabletap.server.domain.PaymentMethod;
import io.tabletap.server.menu.DemoCafe;
import io.tabletap.server.payment.PaymentRequest;
import io.tabletap.server.payment.qrbank.BankAccount;
import io.tabletap.server.payment.qrbank.BankSettings;
import io.tabletap.server.payment.qrbank.QrFormat;
import io.tabletap.server.payment.qrbank.TransferReceived;
import io.tabletap.server.testing.RunningServer;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PayPageRoutesTest {
  @TempDir Path dir;
  RunningServer server;

  @BeforeEach
  void start() {
    server = RunningServer.start(dir);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void anOpenTransfersPageShowsItsBankDetailsAmountReferenceAndExpiryWithoutAToken() throws Exception {
    String reference = transfer(1240);

    RunningServer.Reply page = server.get("/pay/" + reference, null);

    assertThat(page.status()).isEqualTo(200);
    assertThat(page.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
    assertThat(page.header("Cache-Control")).isEqualTo("no-store");
    assertThat(page.header("Content-Security-Policy")).startsWith("default-src 'none'; img-src data:;");
    assertThat(page.raw()).contains("<!DOCTYPE html>", "Demo Cafe", "Demo Cafe Pty Ltd", "000-000", "12345678", "12.40 AUD",
        reference, "before <strong>10:15</strong>", "name=\"viewport\"");
    assertThat(page.raw()).doesNotContain("http://", "https://", "<script");
    String qrPayload = qrIn(page.raw());
    assertThat(qrPayload).contains("\"amount\":\"12.40\"", "\"reference\":\"" + reference + "\"");
  }

  @Test
  void aPageNeverShowsAnotherTransfersData() {
    String mine = transfer(1240);
    String other = transfer(9870);

    String page = server.get("/pay/" + mine, null).raw();

    assertThat(page).contains("12.40 AUD", mine).doesNotContain("98.70", other);
    assertThat(server.get("/pay/" + other, null).raw()).contains("98.70 AUD", other).doesNotContain("12.40", mine);
  }

  @Test
  void theReferenceMayBeTypedInLowerCaseWithoutDashes() {
    String reference = transfer(1240);

    RunningServer.Reply page = server.get("/pay/" + reference.toLowerCase().replace("-", ""), null);

    assertThat(page.status()).isEqualTo(200);
    assertThat(page.raw()).contains(reference);
  }

  @Test
  void anUnknownOrMistypedReferenceIsAClearNotFoundPage() {
    String reference = transfer(1240);
    char last = reference.charAt(reference.length() - 1);
    String typo = reference.substring(0, reference.length() - 1) + (last == 'Z' ? 'Y' : 'Z');

    for (String path : new String[] {"/pay/TT-2222-2222", "/pay/" + typo, "/pay/%3Cscript%3E"}) {
      RunningServer.Reply page = server.get(path, null);
      assertThat(page.status()).as(path).isEqualTo(404);
      assertThat(page.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
      assertThat(page.raw()).contains("Payment not found").doesNotContain("12.40", reference, "<script>");
    }
  }

  @Test
  void anExpiredTransferIsGoneWith410() {
    String reference = transfer(1240);
    server.clock.advance(Duration.ofMinutes(15));

    RunningServer.Reply page = server.get("/pay/" + reference, null);

    assertThat(page.status()).isEqualTo(410);
    assertThat(page.raw()).contains("expired", "ask at the counter").doesNotContain("12345678", "data:image/png");
  }

  @Test
  void aPaidTransferSaysThankYou() {
    String reference = transfer(1240);
    server.server().bankTransfers().reconcile(
        new TransferReceived("evt-1", reference, Money.of(1240, "AUD"), "J CITIZEN", server.clock.instant()));

    RunningServer.Reply page = server.get("/pay/" + reference, null);

    assertThat(page.status()).isEqualTo(200);
    assertThat(page.raw()).contains("Paid, thank you").doesNotContain("12345678", "data:image/png");
  }

  @Test
  void aPartlyPaidTransferAsksForWhatIsLeft() throws Exception {
    String reference = transfer(1240);
    server.server().bankTransfers().reconcile(
        new TransferReceived("evt-1", reference, Money.of(1000, "AUD"), "J CITIZEN", server.clock.instant()));

    String page = server.get("/pay/" + reference, null).raw();

    assertThat(page).contains("Received so far: 10.00 AUD", "Still to pay: 2.40 AUD");
    assertThat(qrIn(page)).contains("\"amount\":\"2.40\"");
  }

  @Test
  void theCafesTextIsEscaped() {
    server.server().bankSettings().save(new BankSettings(DemoCafe.ID,
        BankAccount.australian("Tom & Jerry's <b>Cafe</b>", "062000", "12345678"), QrFormat.TABLETAP_JSON, 15));
    String reference = transfer(1240);

    String page = server.get("/pay/" + reference, null).raw();

    assertThat(page).contains("Tom &amp; Jerry&#39;s &lt;b&gt;Cafe&lt;/b&gt;").doesNotContain("<b>Cafe</b>");
  }

  private String transfer(long cents) {
    UUID paymentId = UUID.randomUUID();
    PaymentRequest request = new PaymentRequest(paymentId, UUID.randomUUID(), DemoCafe.ID, 7, PaymentMethod.QR_CODE_BANK_TRANSFER,
        Money.of(cents, "AUD"), "pay-" + paymentId, "Demo Cafe order 7", null, "cashier");
    return server.server().qrBank().initiatePayment(request).transactionId();
  }

  /** Decodes the inline QR image of a page. */
  private static String qrIn(String html) throws Exception {
    Matcher m = Pattern.compile("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"").matcher(html);
    assertThat(m.find()).as("an inline PNG").isTrue();
    byte[] png = Base64.getDecoder().decode(m.group(1));
    var image = ImageIO.read(new ByteArrayInputStream(png));
    assertThat(image.getWidth()).isEqualTo(256);
    return io.tabletap.server.testing.QrDecoder.decode(png).getText();
  }
}
