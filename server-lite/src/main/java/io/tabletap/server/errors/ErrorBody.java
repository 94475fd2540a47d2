package io.tabletap.server.errors;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The body of every error response: {@code {"error","message","details"}}; {@code correlationId}
 * only on a 500, pointing at the log line with the cause.
 */
public record ErrorBody(
    String error, String message, Object details, @JsonInclude(JsonInclude.Include.NON_NULL) String correlationId) {}
