package dev.gatehouse.server.cli;

import static dev.gatehouse.server.cli.CliTest.gatehouse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.server.cli.CliTest.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gatehouse serve} refuses a configuration it must not run with, before binding anything. */
class ServeCommandTest {

  @TempDir Path dir;

  @Test
  void refusesANonLoopbackAddressWithoutTokens() {
    Run run = gatehouse("serve", "--host", "0.0.0.0", "--port", "0", "--policies", dir.toString());

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err().strip())
        .startsWith("gatehouse serve: refusing to bind 0.0.0.0 without authentication")
        .doesNotContain("\n");
  }

  @Test
  void refusesAMissingPolicyDirectory() {
    Run run = gatehouse("serve", "--port", "0", "--policies", dir.resolve("absent").toString());

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("policy directory not found");
  }

  @Test
  void refusesAConfigFileWithAnUnknownKey() throws IOException {
    Path config = Files.writeString(dir.resolve("gatehouse.yaml"), "tokenz:\n  - {name: ci, token: abcdefghijklmnopq, roles: [decide]}\n");

    Run run = gatehouse("serve", "--config", config.toString(), "--policies", dir.toString());

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("gatehouse serve: config file").contains("tokenz");
  }
}
