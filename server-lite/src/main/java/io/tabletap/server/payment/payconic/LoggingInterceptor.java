package io.tabletap.server.payment.payconic;

import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import okhttp3.Headers;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs each call at DEBUG: method, URL and headers on the way out, status and time on the way
 * back. Bodies are never logged. The values of {@code Authorization} and the other headers in
 * {@link #REDACTED} are replaced by {@code ██}, so a debug log can be shared.
 */
final class LoggingInterceptor implements Interceptor {
  static final Set<String> REDACTED = Set.of("authorization", "proxy-authorization", "cookie", "set-cookie");
  private static final Logger log = LoggerFactory.getLogger(LoggingInterceptor.class);

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    if (!log.isDebugEnabled()) {
      return chain.proceed(request);
    }
    log.debug("--> {} {} [{}]", request.method(), request.url(), headers(request.headers()));
    long start = System.nanoTime();
    try {
      Response response = chain.proceed(request);
      log.debug("<-- {} {} {} ({} ms)", response.code(), request.method(), request.url(), elapsedMs(start));
      return response;
    } catch (IOException e) {
      log.debug("<-- failed {} {} ({} ms): {}", request.method(), request.url(), elapsedMs(start), e.toString());
      throw e;
    }
  }

  static String headers(Headers headers) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < headers.size(); i++) {
      String name = headers.name(i);
      if (s.length() > 0) {
        s.append(", ");
      }
      s.append(name).append(": ").append(REDACTED.contains(name.toLowerCase(Locale.ROOT)) ? "██" : headers.value(i));
    }
    return s.toString();
  }

  private static long elapsedMs(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }
}
