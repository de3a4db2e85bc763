package dev.gatehouse.server.log;

import static dev.gatehouse.server.log.TestDecisions.assertIntegrity;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KillTest {

  @TempDir Path dataDir;

  @Test
  void everyAnsweredDecisionSurvivesSigkill() throws Exception {
    Process child = new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"),
            AppendUntilKilled.class.getName(), dataDir.toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    List<String> answered = new ArrayList<>();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      for (String id = out.readLine(); id != null && answered.size() < 2_000; id = out.readLine()) {
        answered.add(id);
      }
    } finally {
      // On Linux this is SIGKILL: no shutdown hook, no close(), appends still in flight.
      child.destroyForcibly();
      child.waitFor();
    }

    assertThat(answered).hasSize(2_000);
    try (SqliteDecisionLog log = SqliteDecisionLog.open(LogOptions.defaults(dataDir))) {
      assertThat(answered).allSatisfy(id -> assertThat(log.find(id)).as(id).isPresent());
    }
    assertIntegrity(dataDir.resolve("decisions.db"));
  }
}
