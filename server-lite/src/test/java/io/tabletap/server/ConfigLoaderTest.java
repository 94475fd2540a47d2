package io.tabletap.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tabletap.server.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Four sources, later ones winning: defaults, tabletap.properties, environment, flags. */
class ConfigLoaderTest {
  @TempDir Path dir;

  private Map<String, String> dataDirFlag() {
    return Map.of("data.dir", dir.toString());
  }

  private void properties(String content) throws IOException {
    Files.writeString(dir.resolve(ConfigLoader.PROPERTIES_FILE), content);
  }

  @Test
  void withNothingSetEverySettingHasItsDefault() {
    ServerConfig config = ConfigLoader.load(Map.of(), dataDirFlag());

    assertThat(config).isEqualTo(ServerConfig.defaults().withDataDir(dir));
    assertThat(config.httpPort()).isEqualTo(8080);
    assertThat(config.shutdownGraceSeconds()).isEqualTo(10);
    assertThat(config.storeInterval()).isEqualTo(java.time.Duration.ofMillis(100));
  }

  @Test
  void theStoreIntervalIsSetInMilliseconds() {
    assertThat(ConfigLoader.load(Map.of("TABLETAP_DB_STORE_INTERVAL_MS", "250"), dataDirFlag()).storeInterval())
        .isEqualTo(java.time.Duration.ofMillis(250));
  }

  @Test
  void eachSourceOverridesTheOnesBeforeItSettingBySetting() throws IOException {
    properties("http.port=9001\nhttp.threads=3\nhttp.queue=30\nbind=127.0.0.1\n");
    Map<String, String> env = Map.of("TABLETAP_HTTP_PORT", "9002", "TABLETAP_HTTP_THREADS", "4", "TABLETAP_DB_CONNECTIONS", "5");
    Map<String, String> flags = Map.of("data.dir", dir.toString(), "http.port", "9003", "shutdown.grace.seconds", "2");

    ServerConfig config = ConfigLoader.load(env, flags);

    assertThat(config.httpPort()).as("file < env < flag").isEqualTo(9003);
    assertThat(config.httpThreads()).as("file < env").isEqualTo(4);
    assertThat(config.httpQueue()).as("defaults < file").isEqualTo(30);
    assertThat(config.bindAddress()).as("defaults < file").isEqualTo("127.0.0.1");
    assertThat(config.dbConnections()).as("defaults < env").isEqualTo(5);
    assertThat(config.shutdownGraceSeconds()).as("defaults < flag").isEqualTo(2);
  }

  @Test
  void theEnvironmentBeatsTheFileAndFlagsBeatTheEnvironment() throws IOException {
    properties("http.port=9001\n");

    assertThat(ConfigLoader.load(Map.of(), dataDirFlag()).httpPort()).isEqualTo(9001);
    assertThat(ConfigLoader.load(Map.of("TABLETAP_HTTP_PORT", "9002"), dataDirFlag()).httpPort()).isEqualTo(9002);
    assertThat(ConfigLoader.load(Map.of("TABLETAP_HTTP_PORT", "9002"), Map.of("data.dir", dir.toString(), "http.port", "9003"))
        .httpPort()).isEqualTo(9003);
  }

  @Test
  void thePropertiesFileIsReadFromTheDataDirTheEnvironmentOrAFlagNames() throws IOException {
    Path other = Files.createDirectory(dir.resolve("other"));
    Files.writeString(other.resolve(ConfigLoader.PROPERTIES_FILE), "http.port=7001\n");
    properties("http.port=7002\n");

    ServerConfig fromEnv = ConfigLoader.load(Map.of("TABLETAP_DATA_DIR", other.toString()), Map.of());
    ServerConfig flagWins = ConfigLoader.load(Map.of("TABLETAP_DATA_DIR", other.toString()), dataDirFlag());

    assertThat(fromEnv.dataDir()).isEqualTo(other);
    assertThat(fromEnv.httpPort()).isEqualTo(7001);
    assertThat(flagWins.dataDir()).isEqualTo(dir);
    assertThat(flagWins.httpPort()).isEqualTo(7002);
  }

  @Test
  void theDataDirCannotComeFromTheFileInsideIt() throws IOException {
    properties("data.dir=/elsewhere\n");

    assertThatThrownBy(() -> ConfigLoader.load(Map.of(), dataDirFlag()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'data.dir'")
        .hasMessageContaining(dir.resolve(ConfigLoader.PROPERTIES_FILE).toString());
  }

  @ParameterizedTest(name = "http.port={0} is accepted")
  @CsvSource({"0", "1", "8080", "65535", "' 8081 '"})
  void portsFromZeroTo65535AreAccepted(String port) {
    assertThat(ConfigLoader.load(Map.of("TABLETAP_HTTP_PORT", port), dataDirFlag()).httpPort()).isEqualTo(Integer.parseInt(port.strip()));
  }

  @ParameterizedTest(name = "{0}={1} from the file is refused")
  @CsvSource({
      "http.port, -1", "http.port, 65536", "http.port, 80.5", "http.port, ''",
      "http.threads, 0", "http.queue, 0", "db.connections, 0", "shutdown.grace.seconds, 601", "bind, 'not an address'",
      "db.store.interval.ms, 0", "db.store.interval.ms, 10001"})
  void anInvalidValueInTheFileNamesTheSettingAndTheFile(String key, String value) throws IOException {
    properties(key + "=" + value + "\n");

    assertThatThrownBy(() -> ConfigLoader.load(Map.of(), dataDirFlag()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("Invalid setting " + key + " from " + dir.resolve(ConfigLoader.PROPERTIES_FILE))
        .hasMessageContaining("'" + value + "'");
  }

  @Test
  void anInvalidValueInTheEnvironmentNamesTheSettingAndTheVariable() {
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("TABLETAP_HTTP_THREADS", "lots"), dataDirFlag()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("Invalid setting http.threads from environment variable TABLETAP_HTTP_THREADS")
        .hasMessageContaining("'lots'");
  }

  @Test
  void anInvalidFlagNamesTheSettingAndTheOption() {
    assertThatThrownBy(() -> ConfigLoader.load(Map.of(), Map.of("data.dir", dir.toString(), "db.connections", "-3")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("Invalid setting db.connections from option --db-connections")
        .hasMessageContaining("'-3'");
  }

  @Test
  void aValueOverriddenByALaterSourceIsNeitherUsedNorChecked() throws IOException {
    properties("http.port=9001\n");

    assertThat(ConfigLoader.load(Map.of("TABLETAP_HTTP_PORT", "not-checked-when-a-flag-wins"),
        Map.of("data.dir", dir.toString(), "http.port", "9003")).httpPort())
        .as("only the value that wins is used, and checked").isEqualTo(9003);
  }

  @Test
  void anUnknownKeyInTheFileOrAnUnknownFlagIsNamed() throws IOException {
    assertThatThrownBy(() -> ConfigLoader.load(Map.of(), Map.of("data.dir", dir.toString(), "http.prot", "1")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("Unknown option --http-prot");

    properties("http.prot=1\n");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of(), dataDirFlag()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("Unknown setting 'http.prot' in " + dir.resolve(ConfigLoader.PROPERTIES_FILE));
  }

  @Test
  void environmentAndFlagNamesFollowFromTheSettingKey() {
    assertThat(ConfigLoader.envName("shutdown.grace.seconds")).isEqualTo("TABLETAP_SHUTDOWN_GRACE_SECONDS");
    assertThat(ConfigLoader.flagName("shutdown.grace.seconds")).isEqualTo("--shutdown-grace-seconds");
  }
}
