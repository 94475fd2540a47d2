package io.tabletap.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tabletap.server.device.Device;
import io.tabletap.server.device.Role;
import io.tabletap.server.testing.RunningServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A fresh install can be administered at once, and only the person who installed it can. */
class FirstStartTest {
  @TempDir Path dir;

  @Test
  void theFirstStartCreatesAnAdminTokenKeptInAFileOnlyItsOwnerCanRead() throws IOException {
    try (RunningServer server = RunningServer.start(dir)) {
      String token = server.server().firstAdminToken().orElseThrow();
      Path file = dir.resolve(ServerLite.ADMIN_TOKEN_FILE);

      assertThat(Files.readString(file).strip()).isEqualTo(token);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("db-password"))))
          .as("the database password beside it").isEqualTo("rw-------");
      assertThat(server.server().devices().authenticate(token)).map(Device::role).contains(Role.ADMIN);
      assertThat(server.get("/api/menu", token).status()).isEqualTo(200);
    }
  }

  @Test
  void aSecondStartCreatesNoNewAdminAndTheFirstTokenStillWorks() throws IOException {
    String first;
    try (RunningServer server = RunningServer.start(dir)) {
      first = server.server().firstAdminToken().orElseThrow();
    }
    Path file = dir.resolve(ServerLite.ADMIN_TOKEN_FILE);
    String fileBefore = Files.readString(file);

    try (RunningServer again = RunningServer.start(dir)) {
      assertThat(again.server().firstAdminToken()).isEmpty();
      assertThat(again.server().devices().list("demo")).filteredOn(d -> d.role() == Role.ADMIN).hasSize(1);
      assertThat(Files.readString(file)).isEqualTo(fileBefore);
      assertThat(again.get("/api/menu", first).status()).isEqualTo(200);
    }
  }

  @Test
  void withoutAValidTokenTheMenuIsRefused() {
    try (RunningServer server = RunningServer.start(dir)) {
      assertThat(server.get("/api/menu", null).status()).isEqualTo(401);
      assertThat(server.get("/api/menu", "tt_not-a-real-token").status()).isEqualTo(401);
    }
  }
}
