package io.tabletap.server.http;

/** A response body sent as it is (an image, a page) instead of as JSON. */
public record RawBody(String contentType, byte[] bytes) {}
