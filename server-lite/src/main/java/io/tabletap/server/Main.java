package io.tabletap.server;

import io.tabletap.server.audit.VerifyResult;
import io.tabletap.server.config.ConfigException;
import io.tabletap.server.device.DeviceService;
import io.tabletap.server.device.Role;
import io.tabletap.server.menu.DemoCafe;
import io.tabletap.server.sandbox.PayconicSandbox;
import io.tabletap.server.store.Database;
import io.tabletap.server.store.JdbcCafeStore;
import io.tabletap.server.store.JdbcMenuStore;
import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The command line: {@code serve} (the default), {@code token create}, {@code audit verify}, {@code
 * sandbox}, {@code --help}, {@code --version}. Exit codes: 0 done, 1 failed while running, 2 bad
 * command line or configuration.
 */
public final class Main {
  static final int EXIT_OK = 0;
  static final int EXIT_FAILED = 1;
  static final int EXIT_USAGE = 2;

  private Main() {}

  public static void main(String[] args) {
    int code = run(args, System.getenv(), System.out, System.err);
    if (code != EXIT_OK || !runsUntilStopped(args)) {
      System.exit(code);
    }
  }

  private static boolean runsUntilStopped(String[] args) {
    return args.length == 0 || args[0].startsWith("--") && !List.of("--help", "--version").contains(args[0])
        || args[0].equals("serve") || args[0].equals("sandbox");
  }

  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    List<String> rest = new ArrayList<>(List.of(args));
    if (rest.contains("--help") || rest.contains("-h")) {
      out.print(usage());
      return EXIT_OK;
    }
    if (rest.contains("--version")) {
      out.println("tabletap-server " + Version.current());
      return EXIT_OK;
    }
    String command = rest.isEmpty() || rest.get(0).startsWith("-") ? "serve" : rest.remove(0);
    try {
      return switch (command) {
        case "serve" -> serve(ConfigLoader.load(env, settingFlags(rest, List.of(), new LinkedHashMap<>())), out);
        case "token" -> token(rest, env, out);
        case "audit" -> audit(rest, env, out);
        case "sandbox" -> sandbox(rest, env, out);
        default -> throw new ConfigException("Unknown command '" + command + "'; try --help");
      };
    } catch (ConfigException e) {
      err.println("tabletap-server: " + e.getMessage());
      return EXIT_USAGE;
    } catch (Exception e) {
      err.println("tabletap-server: " + e.getMessage());
      return EXIT_FAILED;
    }
  }

  private static int serve(ServerConfig config, PrintStream out) throws Exception {
    ServerLite server = ServerLite.start(config, Clock.systemUTC());
    server.firstAdminToken().ifPresent(token -> {
      out.println("First start: this is the ADMIN token; it is shown once and kept in "
          + config.dataDir().resolve(ServerLite.ADMIN_TOKEN_FILE) + " (readable by you only):");
      out.println(token);
    });
    out.println("TableTap server-lite listening on http://" + config.bindAddress() + ":" + server.httpPort());
    out.println("Real-time WebSocket on ws://" + config.bindAddress() + ":" + server.wsPort() + "/ws");
    out.flush();
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "shutdown"));
    return EXIT_OK;
  }

  /** Runs the Payconic sandbox alone until SIGTERM. */
  private static int sandbox(List<String> rest, Map<String, String> env, PrintStream out) throws Exception {
    PayconicSandbox sandbox = SandboxCommand.start(rest, env, out, Clock.systemUTC());
    Runtime.getRuntime().addShutdownHook(new Thread(sandbox::close, "sandbox-shutdown"));
    return EXIT_OK;
  }

  /** {@code token create --role ROLE --name NAME [--cafe ID] [--data-dir DIR]}: prints the token alone. */
  private static int token(List<String> rest, Map<String, String> env, PrintStream out) {
    if (rest.isEmpty() || !rest.remove(0).equals("create")) {
      throw new ConfigException("Usage: token create --role ROLE --name NAME [--cafe ID] [--data-dir DIR]");
    }
    Map<String, String> own = new LinkedHashMap<>();
    ServerConfig config = ConfigLoader.load(env, settingFlags(rest, List.of("role", "name", "cafe"), own));
    String roleName = own.get("role");
    if (roleName == null) {
      throw new ConfigException("token create needs --role, one of " + List.of(Role.values()));
    }
    Role role;
    try {
      role = Role.valueOf(roleName.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("Invalid --role '" + roleName + "'; use one of " + List.of(Role.values()));
    }
    String name = own.getOrDefault("name", role.name().charAt(0) + role.name().substring(1).toLowerCase(Locale.ROOT));
    if (name.isBlank() || name.strip().length() > DeviceService.MAX_NAME_LENGTH) {
      throw new ConfigException("Invalid --name: 1 to " + DeviceService.MAX_NAME_LENGTH + " characters");
    }
    String cafe = own.getOrDefault("cafe", DemoCafe.ID);
    try (Database database = ServerLite.openStore(config)) {
      JdbcCafeStore cafes = new JdbcCafeStore(database);
      ServerLite.seedDemoCafe(cafes, new JdbcMenuStore(database));
      if (cafes.find(cafe).isEmpty()) {
        throw new ConfigException("Invalid --cafe '" + cafe + "': no such cafe");
      }
      out.println(ServerLite.devices(database, Clock.systemUTC()).create(cafe, role, name).token());
    }
    return EXIT_OK;
  }

  /**
   * {@code audit verify [--data-dir DIR]}: walks the audit log's hash chain. Prints {@code OK: N rows
   * verified} and the head hash (to keep elsewhere), exit 0; or the first row that breaks the chain
   * and why, exit 1. Opens the store like {@code token create}, so a running server may keep it open.
   */
  private static int audit(List<String> rest, Map<String, String> env, PrintStream out) {
    if (rest.isEmpty() || !rest.remove(0).equals("verify")) {
      throw new ConfigException("Usage: audit verify [--data-dir DIR]");
    }
    ServerConfig config = ConfigLoader.load(env, settingFlags(rest, List.of(), new LinkedHashMap<>()));
    if (!Database.existsIn(config.dataDir())) {
      throw new ConfigException("No database in " + config.dataDir().toAbsolutePath() + "; check --data-dir");
    }
    try (Database database = ServerLite.openStore(config)) {
      VerifyResult result = ServerLite.auditLog(database, Clock.systemUTC()).verify();
      if (result.ok()) {
        out.println("OK: " + result.checkedRows() + " rows verified");
        out.println("Head hash: " + result.headHash() + " (row " + result.checkedRows() + ")");
        return EXIT_OK;
      }
      out.println("BROKEN at seq " + result.firstBrokenSeq() + ": " + result.reason());
      out.println(result.checkedRows() + " rows before it verified");
      return EXIT_FAILED;
    }
  }

  /**
   * Takes {@code --key value} and {@code --key=value} pairs: the command's own options ({@code
   * ownNames}) go into {@code own}, everything else into the result as a setting key.
   */
  static Map<String, String> settingFlags(List<String> args, List<String> ownNames, Map<String, String> own) {
    Map<String, String> settings = new LinkedHashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (!arg.startsWith("--")) {
        throw new ConfigException("Unexpected argument '" + arg + "'; try --help");
      }
      String name = arg.substring(2);
      String value = null;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      if (!ownNames.contains(name) && !ConfigLoader.SETTINGS.containsKey(name.replace('-', '.'))) {
        throw new ConfigException("Unknown option --" + name + "; try --help");
      }
      if (value == null) {
        if (i + 1 >= args.size()) {
          throw new ConfigException("Option --" + name + " needs a value");
        }
        value = args.get(++i);
      }
      if (ownNames.contains(name)) {
        own.put(name, value);
      } else {
        settings.put(name.replace('-', '.'), value);
      }
    }
    return settings;
  }

  static String usage() {
    StringBuilder s = new StringBuilder();
    s.append("TableTap server-lite ").append(Version.current()).append("\n\n");
    s.append("Usage:\n");
    s.append("  java -jar tabletap-server.jar [serve] [options]       run the server\n");
    s.append("  java -jar tabletap-server.jar token create --role ROLE --name NAME [--cafe ID] [--data-dir DIR]\n");
    s.append("                                                        print a new device token (ROLE: ADMIN, CASHIER, KITCHEN, CUSTOMER_DISPLAY)\n");
    s.append("  java -jar tabletap-server.jar audit verify [--data-dir DIR]\n");
    s.append("                                                        check the audit log's hash chain (exit 0 intact, 1 broken)\n");
    s.append("  java -jar tabletap-server.jar sandbox [--sandbox-port N] [--sandbox-webhook-url URL] [options]\n");
    s.append("                                                        run the Payconic sandbox alone (webhooks to "
        + SandboxCommand.DEFAULT_WEBHOOK_URL + " by default)\n");
    s.append("  java -jar tabletap-server.jar --help | --version\n\n");
    s.append("Options (also TABLETAP_* environment variables and tabletap.properties in the data dir):\n");
    ConfigLoader.SETTINGS.forEach((key, meaning) ->
        s.append(String.format("  %-28s %-34s %s%n", ConfigLoader.flagName(key) + " V", ConfigLoader.envName(key), meaning)));
    return s.toString();
  }
}
