package io.tabletap.server.config;

/**
 * Turns Nagle's algorithm off for the JDK's {@code HttpServer}s of this JVM. The JDK server writes
 * a response's headers and its body in two TCP segments; with Nagle on (its default), the body
 * waits for the client's delayed ACK: 40 ms added to an answer on Linux.
 *
 * <p>The JDK reads {@code sun.net.httpserver.nodelay} once, when the JVM's <em>first</em> {@code
 * HttpServer} is made, so every place that makes one calls this first: the API's server and the
 * Payconic sandbox's (which server-lite starts before its own; when only the API set it, every
 * answer of both waited the 40 ms, measured in the webhook benchmark). An operator's own setting
 * wins.
 */
public final class TcpNoDelay {
  public static final String PROPERTY = "sun.net.httpserver.nodelay";

  private TcpNoDelay() {}

  public static void forJdkHttpServers() {
    if (System.getProperty(PROPERTY) == null) {
      System.setProperty(PROPERTY, "true");
    }
  }
}
