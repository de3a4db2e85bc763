package dev.gatehouse.server.cli;

import static dev.gatehouse.server.cli.CliTest.gatehouse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.server.cli.CliTest.Run;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gatehouse serve} refuses a configuration it must not run with, before binding anything,
 * and says in one line why it cannot start.
 */
// A serve that starts after all would block for good: fail it instead.
@Timeout(60)
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
  void refusesAnAllowedHostThatIsNotAHostName() {
    Run run = gatehouse("serve", "--allowed-host", "gatehouse.test,http://gatehouse.internal", "--port", "0",
        "--policies", dir.toString());

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).startsWith("gatehouse serve: allowedHosts: 'http://gatehouse.internal' is not a host name or address");
  }

  @Test
  void refusesASettleIntervalOutOfRange() {
    Run run = gatehouse("serve", "--port", "0", "--settle-millis", "-5", "--policies", dir.toString());

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err().strip()).isEqualTo("gatehouse serve: settleMillis -5 is out of range 0-60000");
  }

  @Test
  void refusesAMissingPolicyDirectory() {
    Run run = gatehouse("serve", "--port", "0", "--policies", dir.resolve("absent").toString());

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("policy directory not found");
  }

  @Test
  void aTakenPortIsNamedWithTheAddress() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Run run = gatehouse("serve", "--port", String.valueOf(taken.getLocalPort()), "--no-workspace",
          "--policies", CliTest.resource("policies").toString(), "--data", dir.resolve("data").toString());

      assertThat(run.exit()).isEqualTo(1);
      assertThat(run.err()).isEqualTo("gatehouse serve: cannot serve on 127.0.0.1:" + taken.getLocalPort()
          + ": Address already in use\n");
    }
  }

  @Test
  void aDataDirectoryThatCannotBeMadeIsNamed() throws IOException {
    Path file = Files.writeString(dir.resolve("file"), "");

    Run run = gatehouse("serve", "--port", "0", "--no-workspace", "--policies", CliTest.resource("policies").toString(),
        "--data", file.resolve("data").toString());

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("gatehouse serve: cannot create decision log directory: " + file.resolve("data")
        + ": Not a directory\n");
  }

  @Test
  void refusesAConfigFileWithAnUnknownKey() throws IOException {
    Path config = Files.writeString(dir.resolve("gatehouse.yaml"), "tokenz:\n  - {name: ci, token: abcdefghijklmnopq, roles: [decide]}\n");

    Run run = gatehouse("serve", "--config", config.toString(), "--policies", dir.toString());

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).startsWith("gatehouse serve: " + config + ":1:1: tokenz: unknown field 'tokenz'; expected one of");
  }
}
