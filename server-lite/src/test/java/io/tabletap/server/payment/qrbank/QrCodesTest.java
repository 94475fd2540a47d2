package io.tabletap.server.payment.qrbank;

import io.tabletap.server.testing.QrDecoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.zxing.BarcodeFormat;
import com.google.zxing.Result;
import com.google.zxing.ResultMetadataType;
import io.tabletap.server.domain.Money;
import io.tabletap.server.json.Json;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class QrCodesTest {
  private static final PaymentReference REFERENCE = PaymentReference.random(new SplittableRandom(11));
  private static final BankAccount AUSTRALIAN = BankAccount.australian("Demo Cafe Pty Ltd", "062000", "12345678");
  private static final BankAccount SEPA = BankAccount.sepa("Café Zoë GmbH", "DE89370400440532013000", "COBADEFFXXX");

  @Test
  void aTabletapJsonCodeReadsBackAsExactlyItsPayload() throws Exception {
    String payload = QrPayloads.tabletapJson(AUSTRALIAN, Money.of(1240, "AUD"), REFERENCE, "Demo Cafe order 42");

    Result read = QrDecoder.decode(QrImages.png(payload));

    assertThat(read.getBarcodeFormat()).isEqualTo(BarcodeFormat.QR_CODE);
    assertThat(read.getText()).isEqualTo(payload);
    JsonNode json = Json.mapper().readTree(read.getText());
    List<String> fields = new ArrayList<>();
    json.fieldNames().forEachRemaining(fields::add);
    assertThat(fields).containsExactly("paymentMethod", "accountName", "accountNumber", "bsb", "amount", "reference", "description");
    assertThat(json.get("paymentMethod").asText()).isEqualTo("bank_transfer");
    assertThat(json.get("accountName").asText()).isEqualTo("Demo Cafe Pty Ltd");
    assertThat(json.get("accountNumber").asText()).isEqualTo("12345678");
    assertThat(json.get("bsb").asText()).isEqualTo("062000");
    assertThat(json.get("amount").isTextual()).isTrue();
    assertThat(json.get("amount").asText()).isEqualTo("12.40");
    assertThat(json.get("reference").asText()).isEqualTo(REFERENCE.toString());
    assertThat(json.get("description").asText()).isEqualTo("Demo Cafe order 42");
  }

  @Test
  void anEpcCodeReadsBackAsExactlyItsPayloadFieldByField() {
    String payload = QrPayloads.epc(SEPA, Money.of(1240, "EUR"), REFERENCE);

    Result read = QrDecoder.decode(QrImages.png(payload));

    assertThat(read.getText()).isEqualTo(payload);
    String[] lines = read.getText().split("\n", -1);
    assertThat(lines).containsExactly(
        "BCD",                      // service tag
        "002",                      // version
        "1",                        // character set: UTF-8
        "SCT",                      // SEPA credit transfer
        "COBADEFFXXX",              // BIC
        "Café Zoë GmbH",            // beneficiary name, UTF-8 intact
        "DE89370400440532013000",   // IBAN
        "EUR12.40",                 // amount with two decimals
        "",                         // purpose
        "",                         // structured (RF) reference
        REFERENCE.toString());      // unstructured remittance: our reference
    assertThat(payload).doesNotContain("\r").doesNotEndWith("\n");
  }

  @Test
  void anEpcAmountAlwaysHasTwoDecimals() {
    assertThat(QrPayloads.epc(SEPA, Money.of(500, "EUR"), REFERENCE).split("\n")[7]).isEqualTo("EUR5.00");
    assertThat(QrPayloads.epc(SEPA, Money.of(1, "EUR"), REFERENCE).split("\n")[7]).isEqualTo("EUR0.01");
  }

  @Test
  void imagesAre256PixelsSquarePngWithErrorCorrectionM() {
    byte[] png = QrImages.png(QrPayloads.tabletapJson(AUSTRALIAN, Money.of(99_999, "AUD"), REFERENCE, "x".repeat(140)));

    assertThat(png).startsWith(0x89, 'P', 'N', 'G');
    BufferedImage image = QrDecoder.image(png);
    assertThat(image.getWidth()).isEqualTo(256);
    assertThat(image.getHeight()).isEqualTo(256);
    assertThat(QrDecoder.decode(png).getResultMetadata().get(ResultMetadataType.ERROR_CORRECTION_LEVEL)).isEqualTo("M");
  }

  @Test
  void anEpcCodeRefusesAnythingButEuros() {
    assertThatThrownBy(() -> QrPayloads.epc(SEPA, Money.of(1240, "AUD"), REFERENCE))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("EUR only");
  }

  @Test
  void anEpcCodeRefusesANameOverSeventyCharacters() {
    BankAccount longName = BankAccount.sepa("x".repeat(71), SEPA.iban(), SEPA.bic());
    assertThatThrownBy(() -> QrPayloads.epc(longName, Money.of(1240, "EUR"), REFERENCE)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aTabletapJsonCodeNeedsAnAustralianAccountInDollars() {
    assertThatThrownBy(() -> QrPayloads.tabletapJson(SEPA, Money.of(1240, "AUD"), REFERENCE, "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> QrPayloads.tabletapJson(AUSTRALIAN, Money.of(1240, "EUR"), REFERENCE, "x"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
