package dev.gatehouse.server.cli;

import static dev.gatehouse.server.cli.CliTest.gatehouse;
import static dev.gatehouse.server.cli.CliTest.resource;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every command compiles through the compile cache: a revision compiled once is loaded afterwards. */
class CompileCacheCliTest {

  final String policies = resource("policies").toString();
  final String request = resource("deny-request.json").toString();

  static List<Path> entries(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".set")).toList();
    }
  }

  @Test
  void evalCheckAndTestShareOneEntryPerRevisionAndAnswerAsWithoutIt(@TempDir Path dir) throws IOException {
    String cache = dir.resolve("cache").toString();

    CliTest.Run fresh = gatehouse("eval", "--request", request, "--policies", policies, "--no-cache");
    CliTest.Run first = gatehouse("eval", "--request", request, "--policies", policies, "--cache", cache);
    List<Path> written = entries(dir.resolve("cache"));
    long writtenAt = Files.getLastModifiedTime(written.get(0)).toMillis();
    CliTest.Run second = gatehouse("eval", "--request", request, "--policies", policies, "--cache", cache);
    CliTest.Run check = gatehouse("check", policies, "--cache", cache);
    CliTest.Run test = gatehouse("test", policies, "--cache", cache);
    CliTest.Run testFresh = gatehouse("test", policies, "--no-cache");

    assertThat(written).hasSize(1);
    assertThat(entries(dir.resolve("cache"))).isEqualTo(written);
    assertThat(Files.getLastModifiedTime(written.get(0)).toMillis()).as("used, so not evicted first")
        .isGreaterThanOrEqualTo(writtenAt);
    assertThat(withoutDuration(second.out())).isEqualTo(withoutDuration(first.out())).isEqualTo(withoutDuration(fresh.out()));
    assertThat(second.exit()).isEqualTo(1);
    assertThat(second.err()).doesNotContain("ignoring");
    assertThat(check.exit()).isZero();
    assertThat(check.out()).contains("ok: 1 files");
    assertThat(test.out()).contains("PASS  ").isEqualTo(testFresh.out());
    assertThat(test.exit()).isEqualTo(testFresh.exit());
  }

  @Test
  void noCacheKeepsNothing(@TempDir Path dir) {
    String cache = dir.resolve("cache").toString();

    CliTest.Run run = gatehouse("eval", "--request", request, "--policies", policies, "--cache", cache, "--no-cache");

    assertThat(run.exit()).isEqualTo(1);
    assertThat(dir.resolve("cache")).doesNotExist();
  }

  @Test
  void aDamagedEntryIsIgnoredAndRebuilt(@TempDir Path dir) throws IOException {
    String cache = dir.resolve("cache").toString();
    gatehouse("eval", "--request", request, "--policies", policies, "--cache", cache);
    Path entry = entries(dir.resolve("cache")).get(0);
    Files.write(entry, "not an entry".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

    CliTest.Run run = gatehouse("eval", "--request", request, "--policies", policies, "--cache", cache);

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out()).startsWith("DENY  execute I-1");
    assertThat(Files.size(entry)).as("written again").isGreaterThan(1000);
  }

  private static String withoutDuration(String text) {
    return text.replaceAll("\\d+ µs", "N µs");
  }
}
