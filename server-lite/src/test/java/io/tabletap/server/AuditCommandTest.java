package io.tabletap.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tabletap.server.audit.AuditEntry;
import io.tabletap.server.audit.AuditLog;
import io.tabletap.server.audit.AuditRecord;
import io.tabletap.server.store.Database;
import io.tabletap.server.testing.RunningServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code audit verify}: exit codes and output, with and without a server on the data dir. */
class AuditCommandTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

  @Test
  void anIntactLogPrintsTheRowCountAndTheHeadHashAndExitsZero() {
    AuditRecord last;
    try (RunningServer server = RunningServer.start(dir)) {
      last = appendRows(server.server().audit(), 5);
    }

    assertThat(verify("--data-dir", dir.toString())).isEqualTo(Main.EXIT_OK);
    assertThat(out().lines()).containsExactly("OK: 5 rows verified", "Head hash: " + last.hash() + " (row 5)");
  }

  @Test
  void itWorksWhileAServerHasTheDatabaseOpen() {
    try (RunningServer server = RunningServer.start(dir)) {
      appendRows(server.server().audit(), 3);

      assertThat(verify("--data-dir", dir.toString())).isEqualTo(Main.EXIT_OK);
      assertThat(out()).startsWith("OK: 3 rows verified");

      appendRows(server.server().audit(), 1);
      assertThat(server.server().audit().verify().checkedRows()).as("the server still writes").isEqualTo(4);
    }
  }

  @Test
  void aTamperedRowMakesItPrintTheSeqAndWhyAndExitOne() throws Exception {
    try (RunningServer server = RunningServer.start(dir)) {
      appendRows(server.server().audit(), 6);
      try (Database db = Database.open(dir, 2); Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
        s.executeUpdate("UPDATE audit_log SET actor = 'someone else' WHERE seq = 4");
      }

      assertThat(verify("--data-dir", dir.toString())).isEqualTo(Main.EXIT_FAILED);
    }

    assertThat(out()).startsWith("BROKEN at seq 4: content hash mismatch").contains("3 rows before it verified");
    stdout.reset();
    assertThat(Main.run(new String[] {"audit", "verify"}, Map.of("TABLETAP_DATA_DIR", dir.toString()), print(stdout), print(stderr)))
        .as("the data dir from the environment, with no server running").isEqualTo(Main.EXIT_FAILED);
    assertThat(out()).startsWith("BROKEN at seq 4:");
  }

  @Test
  void aMissingDatabaseOrSubcommandIsAUsageError() {
    assertThat(verify("--data-dir", dir.resolve("nothing-here").toString())).isEqualTo(Main.EXIT_USAGE);
    assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("No database in");
    assertThat(dir.resolve("nothing-here")).as("verify creates nothing").doesNotExist();

    assertThat(Main.run(new String[] {"audit"}, Map.of(), print(stdout), print(stderr))).isEqualTo(Main.EXIT_USAGE);
    assertThat(Main.run(new String[] {"audit", "repair"}, Map.of(), print(stdout), print(stderr))).isEqualTo(Main.EXIT_USAGE);
    assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("Usage: audit verify [--data-dir DIR]");
  }

  @Test
  void theHelpNamesTheAuditCommand() {
    assertThat(Main.usage()).contains("audit verify [--data-dir DIR]");
  }

  private static AuditRecord appendRows(AuditLog log, int count) {
    AuditRecord last = null;
    for (int i = 0; i < count; i++) {
      last = log.append(AuditEntry.of("test.step", "system", "s-" + i));
    }
    return last;
  }

  private int verify(String... options) {
    String[] args = new String[options.length + 2];
    args[0] = "audit";
    args[1] = "verify";
    System.arraycopy(options, 0, args, 2, options.length);
    return Main.run(args, Map.of(), print(stdout), print(stderr));
  }

  private String out() {
    return stdout.toString(StandardCharsets.UTF_8);
  }

  private static PrintStream print(ByteArrayOutputStream bytes) {
    return new PrintStream(bytes, true, StandardCharsets.UTF_8);
  }
}
