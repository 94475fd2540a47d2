package io.tabletap.server;

import io.tabletap.server.config.ConfigException;
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
    s.put("bind", "address to listen on (default 0.0.0.0, every interface)");
    s.put("http.threads", "HTTP handler threads (default 16)");
    s.put("http.queue", "requests waiting for a thread before new ones are refused (default 256)");
    s.put("db.connections", "database connection pool size (default 16)");
    s.put("shutdown.grace.seconds", "how long a stop waits for requests in flight (default 10)");
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
        intSetting(values, "shutdown.grace.seconds", d.shutdownGraceSeconds(), 0, 600));
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
