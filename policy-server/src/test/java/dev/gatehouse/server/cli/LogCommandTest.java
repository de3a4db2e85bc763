package dev.gatehouse.server.cli;

import static dev.gatehouse.server.cli.CliTest.gatehouse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.model.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gatehouse log verify|export|import} over logs written by {@code eval --log}. */
class LogCommandTest {

  @TempDir Path dir;

  @Test
  void anExportImportedIntoAnEmptyLogReproducesTheChain() throws Exception {
    Path data = dir.resolve("data");
    List<String> ids = logDecisions(data, 4);

    CliTest.Run verified = gatehouse("log", "verify", "--data", data.toString());
    assertThat(verified.exit()).isZero();
    assertThat(verified.out()).startsWith("intact: 4 decisions checked; head ");
    String head = verified.out().strip().substring(verified.out().indexOf("head ") + 5);

    CliTest.Run export = gatehouse("log", "export", "--data", data.toString());
    assertThat(export.exit()).isZero();
    List<String> lines = export.out().lines().toList();
    assertThat(lines).hasSize(5);
    JsonNode snapshot = Json.mapper().readTree(lines.get(0));
    assertThat(snapshot.path("snapshot").asText()).isEqualTo("POLICY");
    assertThat(snapshot.path("files").fieldNames()).toIterable().contains("basic.drl");
    JsonNode first = Json.mapper().readTree(lines.get(1));
    assertThat(first.path("policyRevision").asText()).isEqualTo(snapshot.path("revision").asText());
    assertThat(first.path("decisionId").asText()).isEqualTo(ids.get(0));
    assertThat(first.path("policyRevision").asText()).startsWith("sha256:");
    assertThat(Json.mapper().readTree(first.path("request").asText()).path("gate").asText()).isEqualTo("execute");
    assertThat(gatehouse("log", "export", "--data", data.toString(), "--gate", "merge").out()).isEmpty();

    Path file = Files.writeString(dir.resolve("export.ndjson"), export.out());
    Path copy = dir.resolve("copy");
    CliTest.Run imported = gatehouse("log", "import", "--data", copy.toString(), file.toString());
    assertThat(imported.exit()).as(imported.err()).isZero();
    assertThat(imported.out()).startsWith("imported 4 decisions and 1 snapshot into ");
    CliTest.Run copyVerified = gatehouse("log", "verify", "--data", copy.toString());
    assertThat(copyVerified.exit()).isZero();
    assertThat(copyVerified.out()).isEqualTo("intact: 4 decisions checked; head " + head + "\n");
    assertThat(gatehouse("log", "export", "--data", copy.toString()).out()).isEqualTo(export.out());
    CliTest.Run asDecided = gatehouse("replay", "--mode", "as-decided", "--data", copy.toString());
    assertThat(asDecided.out()).as(asDecided.err())
        .isEqualTo("replayed 4 of 4 decisions as decided: every one reproduced\n");

    CliTest.Run again = gatehouse("log", "import", "--data", copy.toString(), file.toString());
    assertThat(again.exit()).isEqualTo(2);
    assertThat(again.err()).contains("is not empty: import only into an empty log");

    Path unreadable = Files.writeString(dir.resolve("unreadable.ndjson"),
        export.out().replaceFirst("\"outcome\":\"(ALLOW|DENY)\"", "\"outcome\":\"X\""));
    CliTest.Run refused = gatehouse("log", "import", "--data", dir.resolve("other").toString(), unreadable.toString());
    assertThat(refused.exit()).isEqualTo(2);
    assertThat(refused.err()).contains(":2: not an exported decision").endsWith("; nothing was imported\n");

    Path alteredRules = Files.writeString(dir.resolve("altered.ndjson"), export.out().replaceFirst(
        "\"basic.drl\":\"[^\"]+\"", "\"basic.drl\":\"" + java.util.Base64.getEncoder().encodeToString("rule".getBytes()) + "\""));
    CliTest.Run altered = gatehouse("log", "import", "--data", dir.resolve("other").toString(), alteredRules.toString());
    assertThat(altered.exit()).isEqualTo(2);
    assertThat(altered.err()).contains(":1: snapshot sha256:").contains("does not hold the files of its revision");

    Path forged = Files.writeString(dir.resolve("forged.ndjson"), export.out().replace(ids.get(1), "forged"));
    CliTest.Run mismatch = gatehouse("log", "import", "--data", dir.resolve("other").toString(), forged.toString());
    assertThat(mismatch.exit()).isEqualTo(2);
    assertThat(mismatch.err()).isEqualTo("gatehouse log import: " + forged + ":3: decision forged does not match the hash"
        + " it was exported with: the export was changed; nothing was imported\n");
    assertThat(gatehouse("log", "verify", "--data", dir.resolve("other").toString()).out())
        .as("nothing was imported").startsWith("intact: 0 decisions checked");
  }

  @Test
  void verifyNamesTheDecisionEditedAndTheOneAfterTheDecisionDeleted() throws Exception {
    Path data = dir.resolve("data");
    List<String> ids = logDecisions(data, 5);
    // With the sqlite3 tool, as someone tampering with the file would.
    sqlite3(data.resolve("decisions.db"), "UPDATE decisions SET subject = 'I-9' WHERE decision_id = '" + ids.get(1) + "';"
        + " DELETE FROM decisions WHERE decision_id = '" + ids.get(2) + "'; SELECT changes();");

    CliTest.Run run = gatehouse("log", "verify", "--data", data.toString());

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out()).startsWith("broken: 4 decisions checked, 2 broken links; head ")
        .contains("  " + ids.get(1) + " (seq 2, edited): decision " + ids.get(1)
            + " does not match its hash: it was changed after it was logged\n")
        .contains("  " + ids.get(3) + " (seq 4, gap): decision " + ids.get(3) + " was not chained after " + ids.get(1));
  }

  /** Runs {@code sql} on {@code db} with the {@code sqlite3} command-line tool (the build installs it as root). */
  private static void sqlite3(Path db, String sql) throws Exception {
    Process p;
    try {
      p = new ProcessBuilder("sqlite3", db.toString(), sql).redirectErrorStream(true).start();
    } catch (java.io.IOException e) {
      throw new AssertionError("this test needs the sqlite3 tool: apt-get install sqlite3", e);
    }
    String output = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as("sqlite3 %s: %s", sql, output).isZero();
    assertThat(output.strip()).as("rows the last statement changed").isEqualTo("1");
  }

  /** {@code n} decisions logged by {@code eval --log}, oldest first. */
  private List<String> logDecisions(Path data, int n) throws Exception {
    Path request = Files.writeString(dir.resolve("request.json"), ReplayCommandTest.REQUEST.formatted("execute", ""));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      CliTest.Run run = gatehouse("eval", "--request", request.toString(), "--policies",
          CliTest.resource("policies").toString(), "--log", "--data", data.toString(), "--json");
      assertThat(run.err()).isEmpty();
      ids.add(Json.mapper().readTree(run.out()).path("decisionId").asText());
    }
    return ids;
  }
}
