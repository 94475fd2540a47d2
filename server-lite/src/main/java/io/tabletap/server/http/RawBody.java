package io.tabletap.server.http;

/**
 * A response body sent as it is, with its own content type (an HTML page, a PNG), instead of
 * being written as JSON.
 */
public record RawBody(String contentType, byte[] bytes) {}
