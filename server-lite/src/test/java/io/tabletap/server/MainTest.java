package io.tabletap.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tabletap.server.device.Device;
import io.tabletap.server.device.Role;
import io.tabletap.server.testing.JavaProcess;
import io.tabletap.server.testing.RunningServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line, through {@code Main.run}: what it prints, where, and its exit code. */
class MainTest {
  private static final String ORDER = "{\"type\":\"TAKEAWAY\",\"lines\":[{\"itemId\":\"espresso\",\"quantity\":1}]}";

  @TempDir Path dir;

  /** One run of the command line: exit code and everything printed. */
  record Run(int code, String out, String err) {
    List<String> outLines() {
      return out.lines().toList();
    }

    List<String> errLines() {
      return err.lines().toList();
    }
  }

  private static Run run(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static Run run(String... args) {
    return run(Map.of(), args);
  }

  /** Exit code 2, nothing on stdout and exactly one line on stderr that says what is wrong. */
  private static String usageError(Run run) {
    assertThat(run.code()).as("exit code; stderr: %s", run.err()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.errLines()).hasSize(1);
    assertThat(run.errLines().get(0)).startsWith("tabletap-server: ");
    return run.errLines().get(0);
  }

  @Test
  void helpPrintsUsageWithEverySettingAndExitsZero() {
    Run run = run("--help");

    assertThat(run.code()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out()).contains("Usage:", "token create --role ROLE --name NAME", "--help | --version");
    for (String key : ConfigLoader.SETTINGS.keySet()) {
      assertThat(run.out()).contains(ConfigLoader.flagName(key), ConfigLoader.envName(key));
    }
  }

  @Test
  void versionPrintsTheVersionMavenStampedIn() {
    Run run = run("--version");

    assertThat(run.code()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.outLines()).singleElement().asString().matches("tabletap-server \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
  }

  @Test
  void aPortThatIsNotANumberOnTheCommandLineIsAUsageError() {
    String error = usageError(run("--http-port", "abc", "--data-dir", dir.toString()));

    assertThat(error).contains("http.port", "option --http-port", "'abc'");
  }

  @Test
  void aPortOutOfRangeInTheEnvironmentIsAUsageError() {
    String error = usageError(run(Map.of("TABLETAP_HTTP_PORT", "70000"), "--data-dir", dir.toString()));

    assertThat(error).contains("http.port", "environment variable TABLETAP_HTTP_PORT", "'70000'");
  }

  @Test
  void aBadValueInThePropertiesFileIsAUsageErrorNamingTheFile() throws Exception {
    Path file = Files.writeString(dir.resolve("tabletap.properties"), "http.port=8081\nhttp.threads = many\n");

    String error = usageError(run("--data-dir", dir.toString()));

    assertThat(error).contains("http.threads", file.toString(), "'many'");
  }

  @Test
  void anUnknownKeyInThePropertiesFileIsAUsageError() throws Exception {
    Files.writeString(dir.resolve("tabletap.properties"), "http.prot=8081\n");

    assertThat(usageError(run("--data-dir", dir.toString()))).contains("'http.prot'", "tabletap.properties");
  }

  @Test
  void anUnreadablePropertiesLineIsAUsageError() throws Exception {
    Files.writeString(dir.resolve("tabletap.properties"), "bind=\\u12zz\n");

    assertThat(usageError(run("--data-dir", dir.toString()))).contains("Cannot read", "tabletap.properties");
  }

  @Test
  void anUnknownOptionIsAUsageErrorNamingIt() {
    assertThat(usageError(run("--nope", "--data-dir", dir.toString()))).contains("Unknown option --nope");
    assertThat(usageError(run("--data-dir", dir.toString(), "--nope"))).contains("Unknown option --nope");
    assertThat(usageError(run("--nope=1"))).contains("Unknown option --nope");
  }

  @Test
  void anUnknownCommandIsAUsageError() {
    assertThat(usageError(run("frobnicate"))).contains("Unknown command 'frobnicate'");
  }

  @Test
  void tokenCreatePrintsOnlyATokenThatAuthenticatesWithItsRole() {
    Run run = run("token", "create", "--role", "KITCHEN", "--name", "Kitchen 1", "--data-dir", dir.toString());

    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.outLines()).singleElement().asString().startsWith("tt_").doesNotContainAnyWhitespaces();
    String token = run.outLines().get(0);
    try (RunningServer server = RunningServer.start(dir)) {
      Device device = server.server().devices().authenticate(token).orElseThrow();
      assertThat(device.role()).isEqualTo(Role.KITCHEN);
      assertThat(device.name()).isEqualTo("Kitchen 1");
      assertThat(server.get("/api/menu", token).status()).isEqualTo(200);
      assertThat(server.postJson("/api/orders", token, ORDER).status()).as("a kitchen may not take orders").isEqualTo(403);
    }
  }

  /**
   * The command runs in its own JVM, as it does for a real operator: only then does the database
   * file really have two users, and H2's AUTO_SERVER mode has to hand the second one over.
   */
  @Test
  void tokenCreateInAnotherProcessWorksWhileTheServerIsRunning() throws Exception {
    try (RunningServer server = RunningServer.start(dir)) {
      Path stdout = dir.resolve("cli-stdout.txt");
      Path stderr = dir.resolve("cli-stderr.txt");
      Process cli = JavaProcess.of(Main.class, "token", "create", "--role", "cashier", "--name", "Till 2", "--data-dir",
          dir.toString()).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
      if (!cli.waitFor(60, TimeUnit.SECONDS)) {
        cli.destroyForcibly().waitFor();
        throw new AssertionError("token create did not finish in 60 s; its stderr:\n" + readQuietly(stderr));
      }
      assertThat(cli.exitValue()).as(() -> readQuietly(stderr)).isZero();
      String out = Files.readString(stdout);
      assertThat(out.lines().toList()).singleElement().asString().startsWith("tt_");
      String token = out.strip();

      assertThat(server.get("/api/menu", token).status()).isEqualTo(200);
      assertThat(server.postJson("/api/orders", token, ORDER).status()).isEqualTo(201);
    }
  }

  @Test
  void tokenCreateWithoutARoleIsAUsageErrorAndTouchesNothing() {
    String error = usageError(run("token", "create", "--name", "Kitchen 1", "--data-dir", dir.resolve("data").toString()));

    assertThat(error).contains("--role", "KITCHEN");
    assertThat(dir.resolve("data")).doesNotExist();
  }

  @Test
  void tokenCreateWithAnUnknownRoleIsAUsageErrorAndTouchesNothing() {
    String error = usageError(run("token", "create", "--role", "CHEF", "--data-dir", dir.resolve("data").toString()));

    assertThat(error).contains("--role", "'CHEF'");
    assertThat(dir.resolve("data")).doesNotExist();
  }

  @Test
  void tokenWithoutCreateIsAUsageError() {
    assertThat(usageError(run("token", "--role", "KITCHEN"))).contains("token create --role ROLE");
  }

  private static String readQuietly(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      return "(no stderr: " + e.getMessage() + ")";
    }
  }
}
