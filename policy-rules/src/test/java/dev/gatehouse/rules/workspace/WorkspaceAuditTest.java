package dev.gatehouse.rules.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.gatehouse.model.Reason;
import dev.gatehouse.rules.CompileResult;
import dev.gatehouse.rules.EvaluationLimits;
import dev.gatehouse.rules.PolicyFiles;
import dev.gatehouse.rules.PolicySet;
import dev.gatehouse.rules.drools.DroolsPolicyCompiler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkspaceAuditTest {

  static final Instant AT = Instant.parse("2026-06-02T10:00:00Z");
  static PolicySet bundled;

  @BeforeAll
  static void compile() throws IOException {
    CompileResult result = new DroolsPolicyCompiler(EvaluationLimits.DEFAULT)
        .compile(PolicyFiles.read(Path.of(System.getProperty("gatehouse.policies"))));
    bundled = result.policySet().orElseThrow();
  }

  @Test
  void findsTheSeedsValidatedIssueWhoseBlockerIsACandidate(@TempDir Path dir) throws IOException {
    Files.copy(PlanningMarkdownTest.examples().resolve(PlanningMarkdownTest.SEED), dir.resolve(PlanningMarkdownTest.SEED));

    WorkspaceAudit.Report report = WorkspaceAudit.of(bundled, WorkspaceLoader.load(dir), AT);

    assertThat(report.problems()).isEmpty();
    assertThat(report.findings()).extracting(WorkspaceAudit.Finding::issue).contains("CTO-WORK-050");
    WorkspaceAudit.Finding packet = report.findings().stream().filter(f -> f.issue().equals("CTO-WORK-050")).findFirst()
        .orElseThrow();
    assertThat(packet.status()).isEqualTo("validated");
    assertThat(packet.gate()).isEqualTo("validate");
    assertThat(packet.source()).isEqualTo(PlanningMarkdownTest.SEED + ":59");
    assertThat(packet.reasons()).extracting(Reason::code).contains("blocker-not-validated");
    assertThat(packet.describe()).anyMatch(line -> line.startsWith(
        PlanningMarkdownTest.SEED + ":59: CTO-WORK-050 claims validated; validate denies blocker-not-validated: "));
    assertThat(report.clean()).isFalse();
  }

  @Test
  void decidesEveryClaimOfTheExampleWorkspaceWithTheBundledPolicies() throws IOException {
    Workspace workspace = WorkspaceLoader.load(PlanningMarkdownTest.examples());

    WorkspaceAudit.Report report = WorkspaceAudit.of(bundled, workspace, AT);

    assertThat(report.workspace()).isEqualTo(workspace.revision());
    assertThat(report.policy()).isEqualTo(bundled.revision());
    assertThat(report.at()).isEqualTo(AT);
    // DEMO-102 is validated and its gate agrees; DEMO-101, 103, 104 and 105 wait only for it.
    assertThat(report.findings()).extracting(WorkspaceAudit.Finding::issue, WorkspaceAudit.Finding::gate,
        f -> f.reasons().stream().map(Reason::code).sorted().toList()).containsExactly(
        tuple("CTO-WORK-048", "validate", List.of("blocker-unknown", "validator-missing")),
        tuple("CTO-WORK-050", "validate", List.of("blocker-not-validated", "human-gate-unapproved", "validator-missing")),
        tuple("DEMO-106", "execute", List.of("blocker-not-validated", "blocker-unknown")));
  }

  @Test
  void aGateTheSetDoesNotDeclareLeavesEveryClaimUnchecked(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("plan.md"), """
        ### GH-1 - Done
        Type: AFK
        Status: validated
        ### GH-2 - Next
        Type: AFK
        Status: ready
        Blocked by: GH-1
        ### GH-3 - Unreadable
        Type: AFK
        Status: ready
        Status: validated
        """);
    Path policies = Files.createDirectories(dir.resolve("policies"));
    Files.writeString(policies.resolve("empty.drl"), "package gates;\n");
    PolicySet none = new DroolsPolicyCompiler(EvaluationLimits.DEFAULT).compile(PolicyFiles.read(policies))
        .policySet().orElseThrow();

    WorkspaceAudit.Report report = WorkspaceAudit.of(none, WorkspaceLoader.load(dir), AT);

    assertThat(report.findings()).extracting(WorkspaceAudit.Finding::issue, WorkspaceAudit.Finding::gate,
        f -> f.reasons().stream().map(Reason::code).toList()).containsExactly(
        tuple("GH-1", "validate", List.of("no-policy")),
        tuple("GH-2", "execute", List.of("no-policy")));
    assertThat(report.problems()).extracting(WorkspaceProblem::describe)
        .containsExactly("plan.md:11: issue GH-3 is unreadable: 'Status' is given twice, first at line 10");
  }
}
