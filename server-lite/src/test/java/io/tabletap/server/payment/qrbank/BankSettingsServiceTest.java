package io.tabletap.server.payment.qrbank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tabletap.server.domain.FieldError;
import io.tabletap.server.domain.NotFoundException;
import io.tabletap.server.domain.ValidationException;
import io.tabletap.server.menu.DemoCafe;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BankSettingsServiceTest {
  @TempDir Path dir;
  TestBank bank;

  @BeforeEach
  void open() {
    bank = new TestBank(dir);
  }

  @AfterEach
  void close() {
    bank.close();
  }

  @Test
  void theDemoCafeStartsWithAustralianDemoDetailsInTabletapJson() {
    BankSettings demo = bank.settings.find(DemoCafe.ID).orElseThrow();
    assertThat(demo.format()).isEqualTo(QrFormat.TABLETAP_JSON);
    assertThat(demo.account().bsb()).matches("[0-9]{6}");
    assertThat(demo.account().accountNumber()).isNotBlank();
    assertThat(demo.account().iban()).isNull();
    assertThat(demo.expiryMinutes()).isEqualTo(15);
  }

  @Test
  void seedingTheDemoCafeAgainNeverOverwritesTheOwnersDetails() {
    bank.settings.save(new BankSettings(DemoCafe.ID, BankAccount.australian("Real Owner", "062-000", "987 654 321"),
        QrFormat.TABLETAP_JSON, 10));
    bank.settings.seedDemoCafe(DemoCafe.ID);
    bank.settings.seedDemoCafe(DemoCafe.ID);
    BankSettings stored = bank.settings.find(DemoCafe.ID).orElseThrow();
    assertThat(stored.account()).isEqualTo(BankAccount.australian("Real Owner", "062000", "987654321"));
    assertThat(stored.expiryMinutes()).isEqualTo(10);
  }

  @Test
  void savesSepaDetailsNormalised() {
    BankSettings saved = bank.settings.save(new BankSettings(TestBank.BERLIN,
        BankAccount.sepa("  Café Zoë GmbH ", "de89 3704 0044 0532 0130 00", "cobadeff"), QrFormat.EPC, 15));
    assertThat(saved.account()).isEqualTo(BankAccount.sepa("Café Zoë GmbH", "DE89370400440532013000", "COBADEFF"));
    assertThat(bank.settings.find(TestBank.BERLIN)).contains(saved);
  }

  @Test
  void refusesABadIbanAndBicWithBothProblemsAtOnce() {
    assertThatThrownBy(() -> bank.settings.save(new BankSettings(TestBank.BERLIN,
        BankAccount.sepa("Café Zoë GmbH", "DE89370400440532013001", "COBADEF"), QrFormat.EPC, 15)))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(codes(e.errors())).containsExactly("invalid_iban", "invalid_bic"));
  }

  @Test
  void refusesABsbThatIsNotSixDigits() {
    assertThatThrownBy(() -> bank.settings.save(new BankSettings(DemoCafe.ID, BankAccount.australian("Demo", "062-00", "12345678"),
        QrFormat.TABLETAP_JSON, 15)))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(codes(e.errors())).containsExactly("invalid_bsb"));
  }

  @Test
  void refusesEpcForACafeThatDoesNotTakeEuros() {
    assertThatThrownBy(() -> bank.settings.save(new BankSettings(DemoCafe.ID,
        BankAccount.sepa("Demo", TestBank.BERLIN_IBAN, TestBank.BERLIN_BIC), QrFormat.EPC, 15)))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(codes(e.errors())).containsExactly("format_needs_eur"));
  }

  @Test
  void refusesTabletapJsonForAnIbanOrAEuroCafe() {
    assertThatThrownBy(() -> bank.settings.save(new BankSettings(TestBank.BERLIN,
        BankAccount.sepa("Zoë", TestBank.BERLIN_IBAN, TestBank.BERLIN_BIC), QrFormat.TABLETAP_JSON, 15)))
        .isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(codes(e.errors())).containsExactly("format_needs_bsb", "format_needs_aud"));
  }

  @Test
  void refusesMixedDetailsALongNameAndABadExpiry() {
    BankAccount mixed = new BankAccount("x".repeat(71), "062000", "12345678", TestBank.BERLIN_IBAN, TestBank.BERLIN_BIC);
    assertThatThrownBy(() -> bank.settings.save(new BankSettings(DemoCafe.ID, mixed, QrFormat.TABLETAP_JSON, 0)))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(codes(e.errors()))
            .contains("account_name_too_long", "mixed_account", "invalid_expiry"));
  }

  @Test
  void refusesSettingsForACafeThatDoesNotExist() {
    assertThatThrownBy(() -> bank.settings.save(BankSettingsService.demoCafe("nowhere"))).isInstanceOf(NotFoundException.class);
  }

  private static List<String> codes(List<FieldError> errors) {
    return errors.stream().map(FieldError::code).toList();
  }
}
