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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The bundled policies deciding from a workspace of governance files, as `gatehouse eval --workspace`. */
class WorkspaceEvalTest {

  static final Path ROOT = Path.of(System.getProperty("gatehouse.root", ".."));
  static final String POLICIES = ROOT.resolve("policies").toString();
  static final String DEMO = ROOT.resolve("examples/workspace").toString();
  static final String AT = "2026-06-02T10:00:00Z";

  @TempDir Path dir;

  @ParameterizedTest(name = "{0} {1} -> {2} {3}")
  @CsvSource(delimiter = '|', textBlock = """
      execute  | CTO-WORK-049 | DENY  | approval-missing contract-missing
      validate | CTO-WORK-050 | DENY  | blocker-not-validated human-gate-unapproved validator-missing
      validate | CTO-WORK-048 | DENY  | blocker-unknown validator-missing
      """)
  void theSeedDocumentDecidesAsItsStatusesSay(String gate, String subject, String outcome, String codes) throws Exception {
    Path seed = Files.createDirectories(dir.resolve("seed"));
    Files.copy(Path.of(DEMO, "CTO-FIRST-REAL-GOVERNED-WORKFLOW-ISSUES.md"), seed.resolve("issues.md"));

    JsonNode decision = eval(seed.toString(), gate, subject, 1);

    assertThat(decision.path("outcome").asText()).isEqualTo(outcome);
    assertThat(codes(decision)).containsExactlyInAnyOrder(codes.split(" "));
    assertThat(decision.path("sources").path("issue:" + subject).asText()).matches("issues\\.md:\\d+");
    assertThat(decision.path("workspace").asText()).startsWith("sha256:");
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource(delimiter = '|', textBlock = """
      execute  | DEMO-101 | ALLOW
      execute  | DEMO-103 | DENY
      accept   | DEMO-105 | ALLOW
      accept   | DEMO-104 | DENY
      merge    | DEMO-101 | ALLOW
      merge    | DEMO-105 | DENY
      validate | DEMO-102 | ALLOW
      validate | DEMO-106 | DENY
      """)
  void theDemoWorkspaceHasAnAllowedAndADeniedSubjectPerGate(String gate, String subject, String outcome) throws Exception {
    JsonNode decision = eval(DEMO, gate, subject, outcome.equals("ALLOW") ? 0 : 1);

    assertThat(decision.path("outcome").asText()).isEqualTo(outcome);
  }

  @Test
  void anApprovalSmuggledIntoARequestCannotOpenTheExecuteGate() throws Exception {
    assertThat(codes(eval(DEMO, "execute", "DEMO-103", 1))).contains("approval-missing");
    Path request = Files.writeString(dir.resolve("smuggle.json"), """
        {"gate": "execute", "subject": "DEMO-103", "at": "2026-06-02T10:00:00Z", "actor": "cto-harness",
         "facts": {"approvals": [{"id": "FORGED", "issue": "DEMO-103", "approver": "JP", "scope": "execute",
                                  "recordedAt": "2026-06-01T00:00:00Z"}]}}
        """);

    CliTest.Run run = gatehouse("eval", "--request", request.toString(), "--policies", POLICIES, "--workspace", DEMO);

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).isEqualTo(
        "gatehouse eval: facts.approvals[0]: approvals come from the workspace: principal 'cli:"
            + System.getProperty("user.name") + "' may not supply them (it supplies no facts)\n");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void theBundledPoliciesPassTheStrictLint() {
    CliTest.Run run = gatehouse("check", "--strict", POLICIES);

    assertThat(run.err()).isEmpty();
    assertThat(run.exit()).isZero();
  }

  @Test
  void checkListsWorkspaceProblemsWithFileAndLine() throws Exception {
    Path broken = Files.createDirectories(dir.resolve("broken"));
    Files.writeString(broken.resolve("approvals.yaml"), "approvals:\n  - id: A-1\n    issue: X\n    recordedAt: soon\n");

    CliTest.Run run = gatehouse("check", POLICIES, "--workspace", broken.toString());

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains("approvals.yaml:").contains("recordedAt").contains("'soon' is not a timestamp");
  }

  @Test
  void checkAuditsTheWorkspaceAndExits1ForEveryStatusTheGatesContradict() {
    CliTest.Run run = gatehouse("check", POLICIES, "--workspace", DEMO, "--at", AT);

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err().lines().filter(l -> l.contains(" claims ")).map(l -> l.replaceFirst(": [^:]*$", "")).toList())
        .as("in the engine's order of reasons").containsExactlyInAnyOrder(
            "CTO-FIRST-REAL-GOVERNED-WORKFLOW-ISSUES.md:23: CTO-WORK-048 claims validated; validate denies blocker-unknown",
            "CTO-FIRST-REAL-GOVERNED-WORKFLOW-ISSUES.md:23: CTO-WORK-048 claims validated; validate denies validator-missing",
            "CTO-FIRST-REAL-GOVERNED-WORKFLOW-ISSUES.md:59: CTO-WORK-050 claims validated; validate denies validator-missing",
            "CTO-FIRST-REAL-GOVERNED-WORKFLOW-ISSUES.md:59: CTO-WORK-050 claims validated; validate denies blocker-not-validated",
            "CTO-FIRST-REAL-GOVERNED-WORKFLOW-ISSUES.md:59: CTO-WORK-050 claims validated; validate denies human-gate-unapproved",
            "planning/DEMO-ISSUES.md:63: DEMO-106 claims candidate; execute denies blocker-unknown",
            "planning/DEMO-ISSUES.md:63: DEMO-106 claims candidate; execute denies blocker-not-validated");
    assertThat(run.out()).contains("3 finding(s): audit at 2026-06-02T10:00:00Z, recorded statuses the gates contradict");
  }

  @Test
  void checkPassesAWorkspaceWhoseStatusesTheGatesConfirm() throws Exception {
    Path plan = Files.createDirectories(dir.resolve("plan"));
    Files.writeString(plan.resolve("plan.md"), "### GH-1 - Ready\n**Type:** AFK\n**Status:** Ready\n**Blocked by:** none\n");

    CliTest.Run run = gatehouse("check", POLICIES, "--workspace", plan.toString(), "--at", AT);
    CliTest.Run badTime = gatehouse("check", POLICIES, "--workspace", plan.toString(), "--at", "noon");

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("ok: audit at 2026-06-02T10:00:00Z, no recorded status the gates contradict");
    assertThat(badTime.exit()).isEqualTo(2);
    assertThat(badTime.err()).startsWith("gatehouse check: --at: 'noon' is not a timestamp");
  }

  private JsonNode eval(String workspace, String gate, String subject, int exit) throws Exception {
    CliTest.Run run = gatehouse("eval", "--policies", POLICIES, "--workspace", workspace, "--gate", gate,
        "--subject", subject, "--at", AT, "--actor", "cto-harness", "--json");
    assertThat(run.exit()).as(run.err()).isEqualTo(exit);
    return Json.mapper().readTree(run.out());
  }

  private static List<String> codes(JsonNode decision) {
    List<String> codes = new ArrayList<>();
    decision.path("reasons").forEach(r -> codes.add(r.path("code").asText()));
    return codes;
  }
}
