package io.tabletap.server.sandbox;

/**
 * An API call the sandbox refuses, answered as {@code status} with Payconic's error body
 * {@code {"error":{"type":…,"message":…}}}.
 */
final class SandboxException extends RuntimeException {
  final int status;
  final String type;

  SandboxException(int status, String type, String message) {
    super(message);
    this.status = status;
    this.type = type;
  }
}
