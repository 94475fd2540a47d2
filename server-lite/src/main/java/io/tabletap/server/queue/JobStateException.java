package io.tabletap.server.queue;

/**
 * The job is in a state that does not allow what was asked (retrying a job that has not failed,
 * removing one that is running). The HTTP API answers 409 with {@link #code()}.
 */
public final class JobStateException extends RuntimeException implements io.tabletap.server.errors.ConflictException {
  private final String code;
  private final JobStatus status;

  public JobStateException(String code, JobStatus status, String message) {
    super(message);
    this.code = code;
    this.status = status;
  }

  /** A stable error code: {@code not_retryable}, {@code job_active}, {@code prerequisite_failed}, … */
  public String code() {
    return code;
  }

  /** The job's status when it was refused. */
  public JobStatus status() {
    return status;
  }

  @Override
  public java.util.Map<String, Object> details() {
    return java.util.Map.of("status", status().name());
  }
}
