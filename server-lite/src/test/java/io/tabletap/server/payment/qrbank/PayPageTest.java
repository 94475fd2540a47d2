package io.tabletap.server.payment.qrbank;

import io.tabletap.server.testing.QrDecoder;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PayPageTest {
  @TempDir Path dir;

  @Test
  void aEuroTransfersPageShowsTheIbanInGroupsAndCarriesTheEpcCode() {
    try (TestBank bank = new TestBank(dir)) {
      String reference = bank.gateway.initiatePayment(TestBank.request(TestBank.BERLIN, 1240, "EUR")).transactionId();

      PayPage.Page page = new PayPage(bank.transfers, bank.cafes, bank.clock).render(reference);

      assertThat(page.status()).isEqualTo(200);
      assertThat(page.html()).contains("Café Zoë", "DE89 3704 0044 0532 0130 00", TestBank.BERLIN_BIC, "12.40 EUR", reference,
          "before <strong>00:20</strong>").doesNotContain("<dt>BSB</dt>"); // not a bare "BSB": the base64 QR image can hold those letters
      Matcher png = Pattern.compile("base64,([A-Za-z0-9+/=]+)\"").matcher(page.html());
      assertThat(png.find()).isTrue();
      String payload = QrDecoder.decode(Base64.getDecoder().decode(png.group(1))).getText();
      assertThat(payload.split("\n")).containsExactly("BCD", "002", "1", "SCT", TestBank.BERLIN_BIC, "Café Zoë GmbH",
          TestBank.BERLIN_IBAN, "EUR12.40", "", "", reference);
    }
  }
}
