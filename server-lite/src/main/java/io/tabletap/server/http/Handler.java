package io.tabletap.server.http;

import io.tabletap.server.errors.ErrorMapper;
/** One endpoint. Throws to refuse; {@link ErrorMapper} turns the exception into the answer. */
@FunctionalInterface
public interface Handler {
  Response handle(Request request) throws Exception;
}
