package io.tabletap.server.payment.credit;

import io.tabletap.server.domain.FieldError;
import java.util.List;
import java.util.regex.Pattern;

/** The checks on what staff type in; each adds a field error rather than stopping at the first. */
final class CreditRules {
  static final int MAX_NAME_LENGTH = 80;
  static final int MAX_PHONE_LENGTH = 32;
  static final int MAX_EMAIL_LENGTH = 254;
  static final int MAX_REASON_LENGTH = 200;
  static final int MAX_IDEMPOTENCY_KEY_LENGTH = 255;

  /** Digits with an optional leading +, and spaces, brackets, dots or dashes between them. */
  private static final Pattern PHONE = Pattern.compile("\\+?[0-9][0-9 ().\\-]*[0-9]");
  /** Something@something.something, without spaces: loose on purpose. */
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+");

  private CreditRules() {}

  /** The trimmed value, or null when it is null or blank. */
  static String trimToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }

  static void name(String name, List<FieldError> errors) {
    if (name == null) {
      errors.add(new FieldError("name", "name_required", "Give the account a name"));
    } else if (name.length() > MAX_NAME_LENGTH) {
      errors.add(new FieldError("name", "name_too_long", "A name is at most " + MAX_NAME_LENGTH + " characters"));
    } else if (name.chars().anyMatch(Character::isISOControl)) {
      errors.add(new FieldError("name", "bad_name", "A name cannot contain control characters"));
    }
  }

  static void phone(String phone, List<FieldError> errors) {
    if (phone == null) {
      return;
    }
    long digits = phone.chars().filter(Character::isDigit).count();
    if (phone.length() > MAX_PHONE_LENGTH || digits < 6 || digits > 15 || !PHONE.matcher(phone).matches()) {
      errors.add(new FieldError("phone", "bad_phone", "A phone number is 6 to 15 digits, optionally with a leading +"));
    }
  }

  static void email(String email, List<FieldError> errors) {
    if (email == null) {
      return;
    }
    if (email.length() > MAX_EMAIL_LENGTH || !EMAIL.matcher(email).matches()) {
      errors.add(new FieldError("email", "bad_email", "An email address looks like name@example.com"));
    }
  }

  /** {@code amount} must be 1 to {@code max} minor units. */
  static void positiveAmount(Long amount, long max, List<FieldError> errors) {
    if (amount == null) {
      errors.add(new FieldError("amount", "amount_required", "Say how much, in minor units (cents)"));
    } else if (amount <= 0) {
      errors.add(new FieldError("amount", "amount_not_positive", "The amount must be positive"));
    } else if (amount > max) {
      errors.add(new FieldError("amount", "amount_too_large", "The amount is at most " + max + " minor units"));
    }
  }

  /** {@code amount} must be non-zero and at most {@code max} minor units either way. */
  static void signedAmount(Long amount, long max, List<FieldError> errors) {
    if (amount == null) {
      errors.add(new FieldError("amount", "amount_required", "Say how much, in minor units (cents); negative takes credit away"));
    } else if (amount == 0) {
      errors.add(new FieldError("amount", "amount_zero", "An adjustment of zero changes nothing"));
    } else if (Math.abs(amount) > max) {
      errors.add(new FieldError("amount", "amount_too_large", "The amount is at most " + max + " minor units either way"));
    }
  }

  static void overdraftLimit(long limit, long max, List<FieldError> errors) {
    if (limit < 0) {
      errors.add(new FieldError("overdraftLimit", "bad_overdraft_limit", "An overdraft limit cannot be negative"));
    } else if (limit > max) {
      errors.add(new FieldError("overdraftLimit", "overdraft_limit_too_large", "An overdraft limit is at most " + max + " minor units"));
    }
  }

  static void reason(String reason, boolean required, List<FieldError> errors) {
    if (reason == null) {
      if (required) {
        errors.add(new FieldError("reason", "reason_required", "Say why"));
      }
    } else if (reason.length() > MAX_REASON_LENGTH) {
      errors.add(new FieldError("reason", "reason_too_long", "A reason is at most " + MAX_REASON_LENGTH + " characters"));
    }
  }

  static void idempotencyKey(String key, List<FieldError> errors) {
    if (key != null && (key.isBlank() || key.length() > MAX_IDEMPOTENCY_KEY_LENGTH || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f))) {
      errors.add(new FieldError("Idempotency-Key", "bad_idempotency_key",
          "Idempotency-Key must be 1 to " + MAX_IDEMPOTENCY_KEY_LENGTH + " printable ASCII characters"));
    }
  }
}
