package io.tabletap.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tabletap.server.config.ConfigException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ws.port}: default 8081, from the environment, from a flag, validated. */
class WsPortSettingTest {
  @TempDir Path dir;

  private Map<String, String> env(String... pairs) {
    java.util.Map<String, String> env = new java.util.HashMap<>(Map.of("TABLETAP_DATA_DIR", dir.toString()));
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  @Test
  void theWebSocketPortIs8081ByDefault() {
    assertThat(ConfigLoader.load(env(), Map.of()).realtime().port()).isEqualTo(8081);
  }

  @Test
  void theEnvironmentSetsItAndAFlagWins() {
    assertThat(ConfigLoader.load(env("TABLETAP_WS_PORT", "9001"), Map.of()).realtime().port()).isEqualTo(9001);
    assertThat(ConfigLoader.load(env("TABLETAP_WS_PORT", "9001"), Map.of("ws.port", "0")).realtime().port()).isZero();
  }

  @Test
  void aBadPortIsRefusedNamingTheSetting() {
    assertThatThrownBy(() -> ConfigLoader.load(env("TABLETAP_WS_PORT", "70000"), Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("ws.port");
  }

  @Test
  void theUsageListsIt() {
    assertThat(Main.usage()).contains("--ws-port").contains("TABLETAP_WS_PORT");
  }
}
