package io.tabletap.server;

import io.tabletap.server.config.ConfigException;
import io.tabletap.server.config.Secret;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Reads {@link ServerConfig} from its four sources in increasing precedence: defaults, {@code
 * tabletap.properties} in the data dir, environment, command-line flags. A setting {@code
 * http.port} is {@code TABLETAP_HTTP_PORT} in the environment and {@code --http-port} on the
 * command line. Any bad value or unknown setting is a {@link ConfigException} naming it.
 */
public final class ConfigLoader {
  public static final String PROPERTIES_FILE = "tabletap.properties";

  /** Every setting, with its meaning for --help. {@code data.dir} cannot come from the file in it. */
  public static final Map<String, String> SETTINGS = settings();

  private static Map<String, String> settings() {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("data.dir", "directory of the database and secrets (default ./data)");
    s.put("http.port", "HTTP port, 0 for any free port (default 8080)");
    s.put("ws.port", "WebSocket port (path /ws), 0 for any free port (default 8081)");
    s.put("bind", "address to listen on (default 0.0.0.0, every interface)");
    s.put("http.threads", "HTTP handler threads (default 16)");
    s.put("http.queue", "requests waiting for a thread before new ones are refused (default 256)");
    s.put("db.connections", "database connection pool size (default 16)");
    s.put("shutdown.grace.seconds", "how long a stop waits for requests in flight (default 10)");
    s.put("db.store.interval.ms", "longest a processed webhook waits to be written to the database file (default 100)");
    s.put("payconic.url", "Payconic API base URL (unset: run the embedded sandbox)");
    s.put("payconic.api.key", "Payconic API key (required with payconic.url)");
    s.put("payconic.merchant.id", "Payconic merchant id (default tabletap-demo)");
    s.put("payconic.webhook.secret", "secret of Payconic's webhook signatures (required with payconic.url)");
    s.put("payconic.timeout.ms", "timeout of a Payconic call (default 30000)");
    s.put("bank.webhook.secret", "secret of the bank's webhook signatures (unset: a random one kept in the data dir)");
    s.put("sandbox.auto.approve.ms", "the sandbox approves each payment after this many ms (unset: wait for a click)");
    s.put("sandbox.port", "port of the embedded sandbox (default 0: any free port)");
    s.put("public.url", "base URL phones and providers reach this server by (default http://localhost:<http.port>)");
    return s;
  }

  private ConfigLoader() {}

  public static String envName(String key) {
    return "TABLETAP_" + key.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
  }

  public static String flagName(String key) {
    return "--" + key.replace('.', '-');
  }

  /** @param flags setting key → value, already taken from the command line */
  public static ServerConfig load(Map<String, String> env, Map<String, String> flags) {
    for (String key : flags.keySet()) {
      if (!SETTINGS.containsKey(key)) {
        throw new ConfigException("Unknown option " + flagName(key));
      }
    }
    Map<String, Source> values = new LinkedHashMap<>();
    String dataDir = flags.containsKey("data.dir") ? flags.get("data.dir") : env.get(envName("data.dir"));
    Path dir = dataDir == null ? ServerConfig.defaults().dataDir() : Path.of(dataDir);
    readProperties(dir.resolve(PROPERTIES_FILE), values);
    for (String key : SETTINGS.keySet()) {
      String value = env.get(envName(key));
      if (value != null) {
        values.put(key, new Source(value, "environment variable " + envName(key)));
      }
    }
    flags.forEach((key, value) -> values.put(key, new Source(value, "option " + flagName(key))));

    ServerConfig d = ServerConfig.defaults();
    return new ServerConfig(dir,
        intSetting(values, "http.port", d.httpPort(), 0, 65535),
        bindSetting(values, d.bindAddress()),
        intSetting(values, "http.threads", d.httpThreads(), 1, 1000),
        intSetting(values, "http.queue", d.httpQueue(), 1, 100_000),
        intSetting(values, "db.connections", d.dbConnections(), 1, 1000),
        intSetting(values, "shutdown.grace.seconds", d.shutdownGraceSeconds(), 0, 600),
        payments(values),
        d.realtime().withPort(intSetting(values, "ws.port", d.realtime().port(), 0, 65535)),
        java.time.Duration.ofMillis(intSetting(values, "db.store.interval.ms", (int) d.storeInterval().toMillis(), 1, 10_000)));
  }

  private static PaymentsConfig payments(Map<String, Source> values) {
    PaymentsConfig d = PaymentsConfig.defaults();
    String url = urlSetting(values, "payconic.url");
    Secret apiKey = secret(values, "payconic.api.key");
    Secret webhookSecret = secret(values, "payconic.webhook.secret");
    if (url != null && apiKey == null) {
      throw new ConfigException("Missing setting payconic.api.key (" + envName("payconic.api.key") + "): required when payconic.url is set");
    }
    if (url != null && webhookSecret == null) {
      throw new ConfigException("Missing setting payconic.webhook.secret (" + envName("payconic.webhook.secret")
          + "): required when payconic.url is set");
    }
    Source merchant = values.get("payconic.merchant.id");
    Source autoApprove = values.get("sandbox.auto.approve.ms");
    return new PaymentsConfig(url, apiKey, merchant == null ? d.payconicMerchantId() : merchant.value(), webhookSecret,
        secret(values, "bank.webhook.secret"),
        java.time.Duration.ofMillis(intSetting(values, "payconic.timeout.ms", (int) d.payconicTimeout().toMillis(), 100, 600_000)),
        autoApprove == null ? null : (long) intSetting(values, "sandbox.auto.approve.ms", 0, 0, 3_600_000),
        intSetting(values, "sandbox.port", d.sandboxPort(), 0, 65535),
        urlSetting(values, "public.url"));
  }

  private static Secret secret(Map<String, Source> values, String key) {
    Source source = values.get(key);
    if (source == null) {
      return null;
    }
    if (source.value().isBlank()) {
      throw new ConfigException("Invalid setting " + key + " from " + source.origin() + ": empty");
    }
    return new Secret(source.value());
  }

  private static String urlSetting(Map<String, Source> values, String key) {
    Source source = values.get(key);
    if (source == null) {
      return null;
    }
    String value = source.value().strip();
    try {
      java.net.URI uri = new java.net.URI(value);
      if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
        return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
      }
    } catch (java.net.URISyntaxException e) {
      // reported below
    }
    throw new ConfigException("Invalid setting " + key + " from " + source.origin() + ": '" + value + "' is not an http(s) URL");
  }

  private record Source(String value, String origin) {}

  private static void readProperties(Path file, Map<String, Source> values) {
    if (!Files.isRegularFile(file)) {
      return;
    }
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException | IllegalArgumentException e) {
      throw new ConfigException("Cannot read " + file + ": " + e.getMessage());
    }
    for (String key : properties.stringPropertyNames()) {
      if (!SETTINGS.containsKey(key) || key.equals("data.dir")) {
        throw new ConfigException("Unknown setting '" + key + "' in " + file + "; known: "
            + SETTINGS.keySet().stream().filter(k -> !k.equals("data.dir")).toList());
      }
      values.put(key, new Source(properties.getProperty(key).strip(), file.toString()));
    }
  }

  private static int intSetting(Map<String, Source> values, String key, int fallback, int min, int max) {
    Source source = values.get(key);
    if (source == null) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(source.value().strip());
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ConfigException("Invalid setting " + key + " from " + source.origin() + ": '" + source.value()
        + "' is not a whole number from " + min + " to " + max);
  }

  private static String bindSetting(Map<String, Source> values, String fallback) {
    Source source = values.get("bind");
    if (source == null) {
      return fallback;
    }
    String value = source.value().strip();
    if (value.isEmpty() || !value.matches("[0-9A-Za-z.:\\-\\[\\]%]+")) {
      throw new ConfigException("Invalid setting bind from " + source.origin() + ": '" + source.value() + "' is not an address");
    }
    try {
      java.net.InetAddress.getByName(value);
    } catch (java.net.UnknownHostException e) {
      throw new ConfigException("Invalid setting bind from " + source.origin() + ": '" + value + "' does not resolve to an address");
    }
    return value;
  }

  /** Keys for the flags that take a value, for the command-line parser. */
  public static List<String> keys() {
    return List.copyOf(SETTINGS.keySet());
  }
}
