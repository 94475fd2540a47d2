package io.tabletap.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tabletap.server.config.ConfigException;
import io.tabletap.server.sandbox.PayconicSandbox;
import io.tabletap.server.testing.RecordingStderr;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SandboxCommandTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(stdout, true, StandardCharsets.UTF_8);

  @Test
  void withoutSecretsItGeneratesThemAndPrintsThemOnceOnStdoutOnly() throws Exception {
    try (RecordingStderr stderr = RecordingStderr.start();
        PayconicSandbox sandbox = SandboxCommand.start(List.of("--sandbox-port", "0", "--bind", "127.0.0.1",
            "--sandbox-webhook-url", "http://127.0.0.1:9/webhooks/payconic"), env(Map.of()), out, Clock.systemUTC())) {
      List<String> lines = stdout.toString(StandardCharsets.UTF_8).lines().toList();
      String apiKey = lineAfter(lines, "API key (generated");
      String secret = lineAfter(lines, "Webhook secret (generated");

      assertThat(lines.get(0)).isEqualTo("Payconic sandbox listening on " + sandbox.baseUrl());
      assertThat(lines).contains("Webhooks go to http://127.0.0.1:9/webhooks/payconic");
      assertThat(apiKey).startsWith("sk_sandbox_").hasSizeGreaterThan(30);
      assertThat(secret).startsWith("whsec_").hasSizeGreaterThan(30);
      assertThat(status(sandbox, apiKey)).as("the printed key is the one the sandbox takes").isEqualTo(404);
      assertThat(status(sandbox, "sk_other")).isEqualTo(401);
      assertThat(stderr.text()).doesNotContain(apiKey).doesNotContain(secret);
    }
  }

  @Test
  void secretsFromTheEnvironmentAreUsedAndNotPrinted() throws Exception {
    Map<String, String> env = env(Map.of("TABLETAP_PAYCONIC_API_KEY", "sk_from_env_123",
        "TABLETAP_PAYCONIC_WEBHOOK_SECRET", "whsec_from_env_456", "TABLETAP_BIND", "127.0.0.1", "TABLETAP_SANDBOX_PORT", "0"));

    try (PayconicSandbox sandbox = SandboxCommand.start(List.of(), env, out, Clock.systemUTC())) {
      String printed = stdout.toString(StandardCharsets.UTF_8);

      assertThat(printed).doesNotContain("sk_from_env_123").doesNotContain("whsec_from_env_456")
          .contains("API key: from setting payconic.api.key (TABLETAP_PAYCONIC_API_KEY)")
          .contains("Webhooks go to " + SandboxCommand.DEFAULT_WEBHOOK_URL);
      assertThat(status(sandbox, "sk_from_env_123")).isEqualTo(404);
    }
  }

  @Test
  void aBadWebhookUrlOrUnknownOptionIsAConfigurationError() {
    assertThatThrownBy(() -> SandboxCommand.start(List.of("--sandbox-webhook-url", "ftp://x"), env(Map.of()), out,
        Clock.systemUTC())).isInstanceOf(ConfigException.class).hasMessageContaining("--sandbox-webhook-url");
    assertThat(Main.run(new String[] {"sandbox", "--no-such-option", "1"}, env(Map.of()), out, out)).isEqualTo(Main.EXIT_USAGE);
  }

  @Test
  void theHelpNamesTheSandboxCommand() {
    assertThat(Main.usage()).contains("sandbox [--sandbox-port N] [--sandbox-webhook-url URL]");
  }

  private static String lineAfter(List<String> lines, String prefix) {
    for (int i = 0; i + 1 < lines.size(); i++) {
      if (lines.get(i).startsWith(prefix)) {
        return lines.get(i + 1);
      }
    }
    throw new AssertionError("No line starting with '" + prefix + "' in " + lines);
  }

  private Map<String, String> env(Map<String, String> more) {
    Map<String, String> env = new java.util.HashMap<>(more);
    env.put("TABLETAP_DATA_DIR", dir.toString());
    return env;
  }

  private static int status(PayconicSandbox sandbox, String apiKey) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/payments/pay_none"))
        .header("Authorization", "Bearer " + apiKey).header("X-Merchant-ID", "tabletap-demo").build();
    return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
