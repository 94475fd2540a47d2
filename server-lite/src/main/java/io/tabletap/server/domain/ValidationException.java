package io.tabletap.server.domain;

import java.util.List;

/** A request that breaks the cafe's rules; carries every problem found, not just the first. */
public final class ValidationException extends RuntimeException {
  private final List<FieldError> errors;

  public ValidationException(List<FieldError> errors) {
    super(errors.size() == 1 ? errors.get(0).message() : errors.size() + " problems: " + errors.get(0).message() + " …");
    this.errors = List.copyOf(errors);
  }

  public static ValidationException of(String field, String code, String message) {
    return new ValidationException(List.of(new FieldError(field, code, message)));
  }

  public List<FieldError> errors() {
    return errors;
  }
}
