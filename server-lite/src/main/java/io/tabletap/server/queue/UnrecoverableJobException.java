package io.tabletap.server.queue;

/**
 * Thrown by a handler for a failure that no retry can fix (a payload it cannot read, a refusal
 * that will not change): the job fails for good at once, whatever attempts it has left.
 */
public class UnrecoverableJobException extends RuntimeException {
  public UnrecoverableJobException(String message) {
    super(message);
  }

  public UnrecoverableJobException(String message, Throwable cause) {
    super(message, cause);
  }
}
