package dev.gatehouse.server.cli;

import static dev.gatehouse.server.cli.CliTest.gatehouse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.model.json.Json;
import dev.gatehouse.server.log.TestDecisions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayCommandTest {

  static final String REQUEST = """
      {"gate": "%s", "subject": "I-1", "at": "2026-06-02T10:00:00Z", "actor": "cto-harness",
       "facts": {"issues": [{"id": "I-1", "type": "HITL", "status": "candidate"}]%s}}
      """;
  static final String APPROVAL = """
      , "approvals": [{"id": "A-1", "issue": "I-1", "approver": "JP", "scope": "execute", "recordedAt": "%s"}]
      """;

  @TempDir Path dir;

  @Test
  void reportsExactlyTheDecisionsAChangedRuleWouldChange() throws Exception {
    Path active = Files.createDirectories(dir.resolve("active"));
    String rules = Files.readString(CliTest.resource("policies").resolve("basic.drl"));
    Files.writeString(active.resolve("basic.drl"), rules);
    Path data = dir.resolve("data");

    String exactlyAt = log(active, data, "execute", APPROVAL.formatted("2026-06-02T10:00:00Z"));
    log(active, data, "execute", APPROVAL.formatted("2026-06-01T10:00:00Z"));
    log(active, data, "execute", "");
    log(active, data, "merge", APPROVAL.formatted("2026-06-02T10:00:00Z"));

    Path candidate = Files.createDirectories(dir.resolve("candidate"));
    String stricter = rules.replace("recordedAt <= $request.at", "recordedAt < $request.at");
    assertThat(stricter).isNotEqualTo(rules);
    Files.writeString(candidate.resolve("basic.drl"), stricter);

    JsonNode report = replay(data, candidate);
    assertThat(report.path("replayed").asInt()).isEqualTo(4);
    assertThat(report.path("changed").asInt()).isEqualTo(1);
    JsonNode change = report.path("changes").get(0);
    assertThat(change.path("decisionId").asText()).isEqualTo(exactlyAt);
    assertThat(change.path("from").asText()).isEqualTo("ALLOW");
    assertThat(change.path("to").asText()).isEqualTo("DENY");
    assertThat(change.path("codesAdded")).extracting(JsonNode::asText).containsExactly("approval-missing");

    assertThat(replay(data, active).path("changed").asInt()).as("the revision that decided").isZero();

    CliTest.Run text = gatehouse("replay", "--data", data.toString(), "--policies", candidate.toString(), "--gate", "merge");
    assertThat(text.out()).startsWith("replayed 1 decisions against sha256:").contains(": 0 would change");
  }

  @Test
  void replayReadsALogOfAnOlderVersionWithoutChangingIt() throws Exception {
    Path db = TestDecisions.version1Log(dir.resolve("data"));
    byte[] before = Files.readAllBytes(db);

    CliTest.Run run = gatehouse("replay", "--data", db.getParent().toString(), "--policies",
        CliTest.resource("policies").toString(), "--json");

    assertThat(Json.mapper().readTree(run.out()).path("replayed").asInt()).isEqualTo(1);
    assertThat(Files.readAllBytes(db)).as("the file, byte for byte: not migrated").isEqualTo(before);
  }

  @Test
  void aLogOfANewerVersionIsBadInput() throws Exception {
    Path data = dir.resolve("data");
    log(CliTest.resource("policies"), data, "execute", "");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("decisions.db"));
        Statement st = c.createStatement()) {
      st.execute("PRAGMA user_version = 99");
    }

    CliTest.Run run = gatehouse("replay", "--data", data.toString(), "--policies", CliTest.resource("policies").toString());

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).startsWith("gatehouse replay: decision log schema version 99 is newer than the newest known");
  }

  @Test
  void notesDecisionsMadeWithOtherWorkspaceFactsThanTheReplayUses() {
    Path data = dir.resolve("data");
    CliTest.Run logged = gatehouse("eval", "--policies", WorkspaceEvalTest.POLICIES, "--workspace", WorkspaceEvalTest.DEMO,
        "--gate", "execute", "--subject", "CTO-WORK-049", "--at", WorkspaceEvalTest.AT, "--log", "--data", data.toString());
    assertThat(logged.err()).isEmpty();

    CliTest.Run without = gatehouse("replay", "--data", data.toString(), "--policies", WorkspaceEvalTest.POLICIES);
    CliTest.Run with = gatehouse("replay", "--data", data.toString(), "--policies", WorkspaceEvalTest.POLICIES,
        "--workspace", WorkspaceEvalTest.DEMO);

    assertThat(without.err()).isEqualTo("gatehouse replay: note: 1 of the 1 decisions were made with other workspace"
        + " facts than this replay uses (none: pass --workspace DIR); their changes may come from the facts, not from"
        + " the policies\n");
    assertThat(with.err()).isEmpty();
    assertThat(with.out()).contains(": 0 would change");
  }

  @Test
  void aMissingLogIsBadInput() {
    CliTest.Run run = gatehouse("replay", "--data", dir.resolve("nothing").toString());

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).startsWith("gatehouse replay: no decision log at");
  }

  private String log(Path policies, Path data, String gate, String approvals) throws Exception {
    Path request = Files.writeString(Files.createTempFile(dir, "request", ".json"), REQUEST.formatted(gate, approvals));
    CliTest.Run run = gatehouse("eval", "--request", request.toString(), "--policies", policies.toString(),
        "--log", "--data", data.toString(), "--json");
    assertThat(run.err()).isEmpty();
    return Json.mapper().readTree(run.out()).path("decisionId").asText();
  }

  private static JsonNode replay(Path data, Path policies) throws Exception {
    CliTest.Run run = gatehouse("replay", "--data", data.toString(), "--policies", policies.toString(), "--json");
    assertThat(run.exit()).isZero();
    return Json.mapper().readTree(run.out());
  }
}
