package io.tabletap.server.domain;

/**
 * One reason a request was refused, pointing at the field: {@code lines[1].options}.
 *
 * @param code stable, machine-readable: {@code unknown_item}, {@code note_too_long}, …
 */
public record FieldError(String field, String code, String message) {}
