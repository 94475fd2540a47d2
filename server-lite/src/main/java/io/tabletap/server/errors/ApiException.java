package io.tabletap.server.errors;

/**
 * An HTTP-level refusal with its status and stable error code; {@link ErrorMapper} turns it into
 * the JSON error body. Handlers throw it; they never write error responses themselves.
 */
public class ApiException extends RuntimeException {
  private final int status;
  private final String code;
  private final transient Object details;

  public ApiException(int status, String code, String message) {
    this(status, code, message, null);
  }

  public ApiException(int status, String code, String message, Object details) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.details = details;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public Object details() {
    return details;
  }
}
