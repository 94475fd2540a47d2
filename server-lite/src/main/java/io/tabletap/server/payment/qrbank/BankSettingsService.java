package io.tabletap.server.payment.qrbank;

import io.tabletap.server.domain.Cafe;
import io.tabletap.server.domain.FieldError;
import io.tabletap.server.domain.NotFoundException;
import io.tabletap.server.domain.ValidationException;
import io.tabletap.server.menu.CafeStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and saves a cafe's bank settings. Saving normalises the identifiers and refuses, with
 * every problem at once ({@link ValidationException}), what a customer could not pay into: a BSB
 * that is not six digits, an IBAN whose MOD 97 check fails, a BIC of the wrong shape, a format
 * that does not fit the account or the cafe's currency (EPC is EUR only; {@code tabletap-json}
 * is an Australian account in AUD).
 */
public final class BankSettingsService {
  public static final int MAX_ACCOUNT_NAME = 70;
  private static final Logger log = LoggerFactory.getLogger(BankSettingsService.class);

  private final BankSettingsStore store;
  private final CafeStore cafes;

  public BankSettingsService(BankSettingsStore store, CafeStore cafes) {
    this.store = store;
    this.cafes = cafes;
  }

  /** The demo cafe's details: an obviously made-up Australian account, {@code tabletap-json}. */
  public static BankSettings demoCafe(String cafeId) {
    return new BankSettings(cafeId, BankAccount.australian("Demo Cafe Pty Ltd", "000000", "12345678"),
        QrFormat.TABLETAP_JSON, BankSettings.DEFAULT_EXPIRY_MINUTES);
  }

  public Optional<BankSettings> find(String cafeId) {
    return store.find(cafeId);
  }

  /**
   * Validates, normalises and saves; returns what was stored.
   *
   * @throws NotFoundException if there is no such cafe
   * @throws ValidationException listing every problem
   */
  public BankSettings save(BankSettings settings) {
    BankSettings normal = normalise(settings);
    Cafe cafe = cafes.find(normal.cafeId()).orElseThrow(() -> new NotFoundException("No cafe '" + normal.cafeId() + "'"));
    List<FieldError> errors = problems(normal, cafe);
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    store.save(normal);
    return normal;
  }

  /**
   * Gives the demo cafe its demo bank details unless it has details already (so an owner's own
   * details are never overwritten). Safe to call on every start; does nothing without the cafe.
   */
  public void seedDemoCafe(String cafeId) {
    if (cafes.find(cafeId).isPresent() && store.find(cafeId).isEmpty()) {
      if (store.insertIfAbsent(demoCafe(cafeId))) {
        log.info("Gave cafe '{}' demo bank details for QR payments", cafeId);
      }
    }
  }

  static BankSettings normalise(BankSettings s) {
    BankAccount a = s.account();
    BankAccount account = new BankAccount(a.accountName().strip(), blankToNull(BankIdentifiers.normaliseBsb(a.bsb())),
        blankToNull(BankIdentifiers.normaliseAccountNumber(a.accountNumber())),
        blankToNull(BankIdentifiers.normaliseIban(a.iban())), blankToNull(BankIdentifiers.normaliseBic(a.bic())));
    return new BankSettings(s.cafeId(), account, s.format(), s.expiryMinutes());
  }

  static List<FieldError> problems(BankSettings s, Cafe cafe) {
    List<FieldError> errors = new ArrayList<>();
    BankAccount a = s.account();
    String name = a.accountName();
    if (name.isEmpty()) {
      errors.add(new FieldError("accountName", "account_name_required", "Give the name the account is held in"));
    } else if (name.codePointCount(0, name.length()) > MAX_ACCOUNT_NAME) {
      errors.add(new FieldError("accountName", "account_name_too_long", "The account name may have at most " + MAX_ACCOUNT_NAME + " characters"));
    } else if (name.chars().anyMatch(Character::isISOControl)) {
      errors.add(new FieldError("accountName", "invalid_value", "The account name may not contain line breaks or control characters"));
    }
    if (a.isAustralian() && a.isSepa()) {
      errors.add(new FieldError("account", "mixed_account", "Give a BSB and account number, or an IBAN and BIC, not both"));
    } else if (!a.isAustralian() && !a.isSepa()) {
      errors.add(new FieldError("account", "account_required", "Give a BSB and account number, or an IBAN and BIC"));
    } else if (a.isAustralian()) {
      if (!BankIdentifiers.isValidBsb(a.bsb())) {
        errors.add(new FieldError("bsb", "invalid_bsb", "A BSB is six digits, such as 062-000"));
      }
      if (!BankIdentifiers.isValidAccountNumber(a.accountNumber())) {
        errors.add(new FieldError("accountNumber", "invalid_account_number", "An account number is 4 to 10 digits"));
      }
    } else {
      if (!BankIdentifiers.isValidIban(a.iban())) {
        errors.add(new FieldError("iban", "invalid_iban", "This is not a valid IBAN (check for a typo: its check digits do not fit)"));
      }
      if (!BankIdentifiers.isValidBic(a.bic())) {
        errors.add(new FieldError("bic", "invalid_bic", "A BIC is 8 or 11 letters and digits, such as DEUTDEFF or DEUTDEFF500"));
      }
    }
    String currency = cafe.currency().getCurrencyCode();
    if (s.format() == QrFormat.EPC) {
      if (a.isAustralian() && !a.isSepa()) {
        errors.add(new FieldError("format", "format_needs_iban", "The EPC format needs an IBAN and BIC"));
      }
      if (!currency.equals("EUR")) {
        errors.add(new FieldError("format", "format_needs_eur", "The EPC format is for euro payments; this cafe takes " + currency));
      }
    } else {
      if (a.isSepa() && !a.isAustralian()) {
        errors.add(new FieldError("format", "format_needs_bsb", "The tabletap-json format needs a BSB and account number; use epc for an IBAN"));
      }
      if (!currency.equals("AUD")) {
        errors.add(new FieldError("format", "format_needs_aud", "The tabletap-json format is for Australian dollars; this cafe takes " + currency));
      }
    }
    if (s.expiryMinutes() < 1 || s.expiryMinutes() > BankSettings.MAX_EXPIRY_MINUTES) {
      errors.add(new FieldError("expiryMinutes", "invalid_expiry", "Expiry is 1 to " + BankSettings.MAX_EXPIRY_MINUTES + " minutes"));
    }
    return errors;
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
