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
    String rules = Files.readString(CliTest.resource("policies").resolve("basic.drl"));
    Path active = policies("active", rules);
    Path data = dir.resolve("data");

    String exactlyAt = log(active, data, "execute", APPROVAL.formatted("2026-06-02T10:00:00Z"));
    log(active, data, "execute", APPROVAL.formatted("2026-06-01T10:00:00Z"));
    log(active, data, "execute", "");
    log(active, data, "merge", APPROVAL.formatted("2026-06-02T10:00:00Z"));

    String stricter = rules.replace("recordedAt <= $request.at", "recordedAt < $request.at");
    assertThat(stricter).isNotEqualTo(rules);
    Path candidate = policies("candidate", stricter);

    JsonNode report = replay(data, candidate);
    assertThat(report.path("replayed").asInt()).isEqualTo(4);
    assertThat(report.path("changed").asInt()).isEqualTo(1);
    assertThat(report.path("outcomesChanged").asInt()).isEqualTo(1);
    JsonNode change = report.path("changes").get(0);
    assertThat(change.path("decisionId").asText()).isEqualTo(exactlyAt);
    assertThat(change.path("from").asText()).isEqualTo("ALLOW");
    assertThat(change.path("to").asText()).isEqualTo("DENY");
    assertThat(change.path("codesAdded")).extracting(JsonNode::asText).containsExactly("approval-missing");
    assertThat(change.path("checksFlipped").toString())
        .isEqualTo("[{\"rule\":\"approval must be recorded\",\"code\":\"approval-missing\",\"from\":\"passed\",\"to\":\"failed\"}]");

    assertThat(replay(data, active).path("changed").asInt()).as("the revision that decided").isZero();

    CliTest.Run text = gatehouse("replay", "--data", data.toString(), "--policies", candidate.toString(), "--gate", "merge");
    assertThat(text.out()).startsWith("replayed 1 of 1 decisions against sha256:").contains(": 0 would change");
  }

  @Test
  void aDecisionWhoseChecksAloneChangeIsReportedWithThem() throws Exception {
    String rules = Files.readString(CliTest.resource("policies").resolve("basic.drl"));
    Path active = policies("active", rules);
    Path data = dir.resolve("data");
    String id = log(active, data, "execute", APPROVAL.formatted("2026-06-02T10:00:00Z"));

    Path candidate = policies("candidate", rules.substring(0, rules.indexOf("rule \"each blocker is named\""))
        + rules.substring(rules.indexOf("rule \"merge has no rules")));

    JsonNode change = replay(data, candidate).path("changes").get(0);
    assertThat(change.path("from").asText()).isEqualTo("ALLOW");
    assertThat(change.path("to").asText()).isEqualTo("ALLOW");
    assertThat(change.path("checksFlipped").get(0).path("code").asText()).isEqualTo("blocker-noted");
    assertThat(change.path("checksFlipped").get(0).path("to").isNull()).isTrue();

    CliTest.Run text = gatehouse("replay", "--data", data.toString(), "--policies", candidate.toString());
    assertThat(text.out()).contains(": 1 would change (0 in outcome)\n");
    assertThat(text.out()).contains("  " + id + "  execute I-1  ALLOW -> ALLOW  checks: blocker-noted passed->none\n");
  }

  @Test
  void decisionsMadeWithoutWorkspaceFactsReplayWithoutThem() throws Exception {
    Path data = dir.resolve("data");
    gatehouse("eval", "--policies", WorkspaceEvalTest.POLICIES, "--workspace", WorkspaceEvalTest.DEMO,
        "--gate", "execute", "--subject", "CTO-WORK-049", "--at", WorkspaceEvalTest.AT, "--log", "--data", data.toString());
    // The request carries its own CTO-WORK-049, which the demo workspace holds as well.
    Path request = Files.writeString(dir.resolve("request.json"), REQUEST.replace("I-1", "CTO-WORK-049").formatted("execute", ""));
    CliTest.Run own = gatehouse("eval", "--request", request.toString(), "--policies", WorkspaceEvalTest.POLICIES,
        "--log", "--data", data.toString());
    assertThat(own.err()).isEmpty();

    CliTest.Run run = gatehouse("replay", "--data", data.toString(), "--policies", WorkspaceEvalTest.POLICIES,
        "--workspace", WorkspaceEvalTest.DEMO);

    assertThat(run.exit()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out()).startsWith("replayed 2 of 2 decisions against").contains(": 0 would change");
  }

  @Test
  void decisionsThatCannotBeReplayedAreCountedApart() throws Exception {
    Path data = dir.resolve("data");
    log(CliTest.resource("policies"), data, "execute", "");
    log(CliTest.resource("policies"), data, "merge", "");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("decisions.db"));
        Statement st = c.createStatement()) {
      st.execute("UPDATE decisions SET request = '{\"gate\": 1}' WHERE gate = 'merge'");
    }

    CliTest.Run text = gatehouse("replay", "--data", data.toString(), "--policies", CliTest.resource("policies").toString());
    CliTest.Run json = gatehouse("replay", "--data", data.toString(), "--policies", CliTest.resource("policies").toString(), "--json");

    assertThat(text.exit()).isEqualTo(1);
    assertThat(text.out()).startsWith("replayed 1 of 2 decisions against")
        .contains(": 0 would change, 1 could not be replayed");
    assertThat(text.err()).startsWith("could not replay ");
    JsonNode report = Json.mapper().readTree(json.out());
    assertThat(report.path("read").asInt()).isEqualTo(2);
    assertThat(report.path("replayed").asInt()).isEqualTo(1);
    assertThat(report.path("errors")).hasSize(1);
  }

  @Test
  void replayReadsALogOfAnOlderVersionWithoutChangingIt() throws Exception {
    Path db = TestDecisions.version1Log(dir.resolve("data"));
    byte[] before = Files.readAllBytes(db);

    CliTest.Run run = gatehouse("replay", "--data", db.getParent().toString(), "--policies",
        CliTest.resource("policies").toString(), "--json");

    // Its one row holds a request too thin to evaluate: read, then refused, as an error.
    assertThat(Json.mapper().readTree(run.out()).path("read").asInt()).isEqualTo(1);
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
        + " the policies (--mode candidate uses those facts)\n");
    assertThat(with.err()).isEmpty();
    assertThat(with.out()).contains(": 0 would change");
  }

  @Test
  void asDecidedReproducesEveryDecisionFromItsSnapshotsAndNamesADecisionThatDoesNot() throws Exception {
    String rules = Files.readString(CliTest.resource("policies").resolve("basic.drl"));
    Path data = dir.resolve("data");
    String first = log(policies("first", rules), data, "execute", APPROVAL.formatted("2026-06-02T10:00:00Z"));
    log(policies("second", rules.replace("recordedAt <= $request.at", "recordedAt < $request.at")), data, "execute",
        APPROVAL.formatted("2026-06-02T10:00:00Z"));
    CliTest.Run workspaceDecision = gatehouse("eval", "--policies", WorkspaceEvalTest.POLICIES, "--workspace",
        WorkspaceEvalTest.DEMO, "--gate", "execute", "--subject", "CTO-WORK-049", "--at", WorkspaceEvalTest.AT, "--log",
        "--data", data.toString());
    assertThat(workspaceDecision.err()).isEmpty();

    CliTest.Run reproduced = gatehouse("replay", "--mode", "as-decided", "--data", data.toString());
    assertThat(reproduced.exit()).as(reproduced.err()).isZero();
    assertThat(reproduced.out()).isEqualTo("replayed 3 of 3 decisions as decided: every one reproduced\n");

    // A logged outcome that its own revision and facts do not give is a fault, whoever caused it.
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("decisions.db"));
        java.sql.PreparedStatement read = c.prepareStatement("SELECT decision FROM decisions WHERE decision_id = ?");
        java.sql.PreparedStatement write = c.prepareStatement("UPDATE decisions SET decision = ? WHERE decision_id = ?")) {
      read.setString(1, first);
      java.sql.ResultSet rs = read.executeQuery();
      assertThat(rs.next()).isTrue();
      byte[] stored = rs.getBytes(1);
      String decision = new String(com.github.luben.zstd.Zstd.decompress(stored,
          (int) com.github.luben.zstd.Zstd.getFrameContentSize(stored)), java.nio.charset.StandardCharsets.UTF_8);
      rs.close();
      write.setBytes(1, com.github.luben.zstd.Zstd.compress(
          decision.replace("\"outcome\":\"ALLOW\"", "\"outcome\":\"DENY\"").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      write.setString(2, first);
      assertThat(write.executeUpdate()).isEqualTo(1);
    }
    CliTest.Run faulty = gatehouse("replay", "--mode", "as-decided", "--data", data.toString());
    assertThat(faulty.exit()).isEqualTo(1);
    assertThat(faulty.out()).startsWith("replayed 3 of 3 decisions as decided: 1 determinism fault\n")
        .contains("  " + first + "  execute I-1  outcome differs: logged \"DENY\", replayed \"ALLOW\"\n");
  }

  @Test
  void aModeMustBeKnownAndTakeOnlyItsOwnSources() throws Exception {
    Path data = dir.resolve("data");
    log(policies("active", Files.readString(CliTest.resource("policies").resolve("basic.drl"))), data, "execute", "");

    assertThat(gatehouse("replay", "--mode", "later", "--data", data.toString()).err())
        .isEqualTo("gatehouse replay: 'later' is not a replay mode: expected as-decided, candidate or now\n");
    CliTest.Run asDecided = gatehouse("replay", "--mode", "as-decided", "--policies", dir.resolve("active").toString(),
        "--data", data.toString());
    assertThat(asDecided.exit()).isEqualTo(2);
    assertThat(asDecided.err()).isEqualTo("gatehouse replay: --mode as-decided decides with the log's snapshots;"
        + " --policies is for another mode\n");
  }

  @Test
  void aMissingLogIsBadInput() {
    CliTest.Run run = gatehouse("replay", "--data", dir.resolve("nothing").toString());

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).startsWith("gatehouse replay: no decision log at");
  }

  /** A policy directory named {@code name} holding {@code rules} as its one file. */
  private Path policies(String name, String rules) throws Exception {
    Path policies = Files.createDirectories(dir.resolve(name));
    Files.writeString(policies.resolve("basic.drl"), rules);
    return policies;
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
