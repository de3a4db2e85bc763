package dev.gatehouse.rules.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.model.Approval;
import dev.gatehouse.model.Doubt;
import dev.gatehouse.model.Fact;
import dev.gatehouse.model.json.FactValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkspaceLoaderTest {

  @TempDir Path dir;

  private void write(String path, String content) throws IOException {
    Path file = dir.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }

  private static String approval(String id, String recordedAt) {
    return """
          - id: %s
            issue: DEMO-1
            approver: JP
            scope: execute
            recordedAt: %s
        """.formatted(id, recordedAt);
  }

  @Test
  void reportsABrokenYamlFileWithItsLineAndLoadsTheRest() throws IOException {
    write("approvals.yaml", "approvals:\n" + approval("A-1", "2026-06-01T09:00:00Z"));
    write("runs.yaml", "runs:\n  - id: R-1\n    issue: DEMO-1\n    touchedPaths: [src/a\n");
    write("planning/plan.md", "### DEMO-1 - One\nType: AFK\nStatus: ready\n");

    Workspace ws = WorkspaceLoader.load(dir);

    assertThat(ws.problems()).singleElement().satisfies(p -> {
      assertThat(p.file()).isEqualTo("runs.yaml");
      assertThat(p.line()).isEqualTo(4);
      assertThat(p.message()).startsWith("malformed document: ");
    });
    assertThat(ws.facts().approvals()).extracting(Approval::source).containsExactly("approvals.yaml:2");
    assertThat(ws.facts().issues()).extracting(Fact::source).containsExactly("planning/plan.md:1");
    assertThat(ws.counts()).isEqualTo(
        Map.of("issues", 1, "admissions", 0, "contracts", 0, "approvals", 1, "evidence", 0, "runs", 0, "doubts", 0));
    assertThat(ws.files()).extracting(WorkspaceFile::path, WorkspaceFile::kind).containsExactly(
        org.assertj.core.groups.Tuple.tuple("approvals.yaml", WorkspaceFile.Kind.FACTS),
        org.assertj.core.groups.Tuple.tuple("planning/plan.md", WorkspaceFile.Kind.PLANNING),
        org.assertj.core.groups.Tuple.tuple("runs.yaml", WorkspaceFile.Kind.FACTS));
  }

  @Test
  void namesTheLineAndTheProblemOfATabIndentedLine() throws IOException {
    write("approvals.yaml", "approvals:\n  - id: A-1\n    issue: X\n\tscope: execute\n");

    Workspace ws = WorkspaceLoader.load(dir);

    assertThat(ws.problems()).singleElement().satisfies(p -> {
      assertThat(p.line()).isEqualTo(4);
      assertThat(p.message()).startsWith("malformed document: while scanning for the next token: found character")
          .contains("cannot start any token").doesNotContain("\n");
    });
  }

  @Test
  void namesWhatIsWrongWithAnUnclosedFlowSequence() throws IOException {
    write("approvals.yaml", "approvals:\n  - id: [A-1\n    issue: X\n");

    Workspace ws = WorkspaceLoader.load(dir);

    assertThat(ws.problems()).singleElement().satisfies(p ->
        assertThat(p.message()).isEqualTo("malformed document: while parsing a flow sequence: expected ',' or ']', but got :"));
  }

  @Test
  void dropsOnlyTheBadItemOfAList() throws IOException {
    write("approvals.yaml", "approvals:\n"
        + approval("A-1", "2026-06-01T09:00:00Z")
        + approval("A-2", "yesterday")
        + approval("A-3", "2026-06-01T11:00:00Z")
        + "  - issue: DEMO-1\n");

    Workspace ws = WorkspaceLoader.load(dir);

    assertThat(ws.facts().approvals()).extracting(Approval::id).containsExactly("A-1", "A-3");
    assertThat(ws.problems()).extracting(WorkspaceProblem::describe).containsExactly(
        "approvals.yaml:11: approvals[1].recordedAt: 'yesterday' is not a timestamp:"
            + " expected ISO-8601 UTC such as 2026-06-02T10:00:00Z",
        "approvals.yaml:17: approvals[3].id: required field is missing or empty");
    assertThat(ws.files().get(0).counts()).containsEntry("approvals", 2);
  }

  @Test
  void boundsPathsAndGlobsAsARequestDoes() throws IOException {
    String tooLong = "src/" + "a".repeat(FactValidator.MAX_PATH_LENGTH - 3);
    write("runs.yaml", """
        runs:
          - id: R-1
            issue: DEMO-1
            runtimeDefaultActivation: false
            touchedPaths: [src/a]
          - id: R-2
            issue: DEMO-1
            runtimeDefaultActivation: false
            touchedPaths:
              - src/b
              - %s
        """.formatted(tooLong));
    write("contracts.yaml", """
        contracts:
          - issue: DEMO-1
            repository: acme/widgets
            allowedPaths: ["%s"]
        """.formatted(tooLong));

    Workspace ws = WorkspaceLoader.load(dir);

    assertThat(ws.facts().runs()).extracting(Fact::ref).containsExactly("run:R-1");
    assertThat(ws.facts().contracts()).isEmpty();
    assertThat(ws.problems()).extracting(WorkspaceProblem::describe).containsExactly(
        "contracts.yaml:4: contracts[0].allowedPaths[0]: glob of 1025 characters; at most 1024 are accepted",
        "runs.yaml:11: runs[1].touchedPaths[1]: path of 1025 characters; at most 1024 are accepted");
  }

  @Test
  void namesTheJsonPathOfAnUnknownFieldInJsonAndYaml() throws IOException {
    write("facts.json", """
        {"runs": [
          {"id": "R-1", "issue": "DEMO-1", "runtimeDefaultActivation": false},
          {"id": "R-2", "issue": "DEMO-1", "runtimeDefaultActivation": false,
           "touched": ["src/a"]}
        ],
         "approval": []}
        """);
    write("evidence.yml", """
        evidence:
          - id: E-1
            issue: DEMO-1
            kind: harness-artifact
            source: planning/plan.md
          - id: E-2
            issue: DEMO-1
            kind: replay-path
            passed: "yes"
        """);

    Workspace ws = WorkspaceLoader.load(dir);

    assertThat(ws.facts().runs()).extracting(Fact::ref).containsExactly("run:R-1");
    assertThat(ws.facts().evidence()).isEmpty();
    assertThat(ws.problems()).extracting(WorkspaceProblem::describe).containsExactly(
        "evidence.yml:5: evidence[0].source: field 'source' is set by Gatehouse and cannot be given",
        "evidence.yml:9: evidence[1].passed: expected true or false",
        "facts.json:4: runs[1].touched: unknown field 'touched'; expected one of firstMutationAt, id, issue,"
            + " runtimeDefaultActivation, touchedPaths, via",
        "facts.json:6: approval: unknown field 'approval'; expected one of admissions, approvals, contracts,"
            + " doubts, evidence, issues, runs");
  }

  @Test
  void setsAsideBothFactsOfARefFoundTwiceAndDoubtsIt() throws IOException {
    write("a.yaml", "approvals:\n" + approval("A-1", "2026-06-01T09:00:00Z"));
    write("b/approvals.yaml", "approvals:\n" + approval("A-2", "2026-06-01T09:00:00Z")
        + approval("A-1", "2026-06-01T10:00:00Z"));
    write("plan.md", "### DEMO-1 - One\nType: AFK\n");
    write("z.yaml", "issues:\n  - id: DEMO-1\n    type: HITL\n");

    Workspace ws = WorkspaceLoader.load(dir);

    // Neither copy is guessed at, whatever the path order: a gate needing either denies fact-conflict.
    assertThat(ws.facts().approvals()).extracting(Approval::id, Approval::source).containsExactly(
        org.assertj.core.groups.Tuple.tuple("A-2", "b/approvals.yaml:2"));
    assertThat(ws.facts().issues()).isEmpty();
    assertThat(ws.facts().doubts()).extracting(Doubt::about, Doubt::issue, Doubt::code, Doubt::message).containsExactly(
        org.assertj.core.groups.Tuple.tuple("approval:A-1", "DEMO-1", "fact-conflict",
            "approval:A-1 is in a.yaml:2 and b/approvals.yaml:7, so neither is used"),
        org.assertj.core.groups.Tuple.tuple("issue:DEMO-1", "DEMO-1", "fact-conflict",
            "issue:DEMO-1 is in plan.md:1 and z.yaml:2, so neither is used"));
    assertThat(ws.problems()).extracting(WorkspaceProblem::describe).containsExactly(
        "a.yaml:2: conflict: ref 'approval:A-1' is also in b/approvals.yaml:7; neither is used",
        "b/approvals.yaml:7: conflict: ref 'approval:A-1' is also in a.yaml:2; neither is used",
        "plan.md:1: conflict: ref 'issue:DEMO-1' is also in z.yaml:2; neither is used",
        "z.yaml:2: conflict: ref 'issue:DEMO-1' is also in plan.md:1; neither is used");
  }

  @Test
  void skipsHiddenAndOtherFilesAndMarkdownThatIsNotPlanning() throws IOException {
    write("README.md", "# Workspace\n\n## Gates\n\n- [ ] not an issue\n");
    write(".hidden.yaml", "approvals: [");
    write(".git/config.json", "{");
    write("notes.txt", "Status: ready");
    write("plan.md", "### DEMO-1 - One\nType: AFK\n");

    Workspace ws = WorkspaceLoader.load(dir);

    assertThat(ws.problems()).isEmpty();
    assertThat(ws.files()).extracting(WorkspaceFile::path).containsExactly("plan.md");
  }

  @Test
  void changesRevisionExactlyWhenAFileChanges() throws IOException {
    write("approvals.yaml", "approvals:\n" + approval("A-1", "2026-06-01T09:00:00Z"));
    write("plan.md", "### DEMO-1 - One\nType: AFK\n");

    String first = WorkspaceLoader.load(dir).revision();
    assertThat(first).matches("sha256:[0-9a-f]{64}");
    assertThat(WorkspaceLoader.load(dir).revision()).isEqualTo(first);

    write("plan.md", "### DEMO-1 - One\nType: HITL\n");
    String second = WorkspaceLoader.load(dir).revision();
    assertThat(second).isNotEqualTo(first);

    write("plan.md", "### DEMO-1 - One\nType: AFK\n");
    assertThat(WorkspaceLoader.load(dir).revision()).isEqualTo(first);
  }

  @Test
  void revisionIsSha256OverTheSortedPathsAndContentsOfTheLoadedFiles() throws IOException {
    write("plan.md", "### DEMO-1 - One\nType: AFK\n");
    write("b/approvals.yaml", "approvals: []\n");
    write("README.md", "# not planning, so not loaded\n");

    // Golden: logged decisions name workspace revisions, so the hash must never change meaning.
    // sha256 over "b/approvals.yaml\0approvals: []\n\0plan.md\0### DEMO-1 - One\nType: AFK\n\0".
    assertThat(WorkspaceLoader.load(dir).revision())
        .isEqualTo("sha256:393c9a1269db33edde92df09ce748efd1100f7aead95dfa2dfc3b3662845592c");
  }

  @Test
  void reloadKeepsTheLastGoodFactsOfABrokenFile() throws IOException {
    write("approvals.yaml", "approvals:\n" + approval("A-1", "2026-06-01T09:00:00Z"));
    write("runs.yaml", "runs:\n  - id: R-1\n    issue: DEMO-1\n    runtimeDefaultActivation: false\n");
    Workspace good = WorkspaceLoader.load(dir);

    write("approvals.yaml", "approvals:\n  - id: A-1\n    issue: [\n");
    write("runs.yaml", "runs:\n  - id: R-2\n    issue: DEMO-1\n    runtimeDefaultActivation: false\n");
    Workspace broken = WorkspaceLoader.reload(good, dir);

    assertThat(broken.facts().approvals()).extracting(Approval::id).containsExactly("A-1");
    assertThat(broken.facts().runs()).extracting(Fact::ref).containsExactly("run:R-2");
    assertThat(broken.problems()).singleElement().satisfies(p -> {
      assertThat(p.file()).isEqualTo("approvals.yaml");
      assertThat(p.line()).isPositive();
      assertThat(p.message()).startsWith("malformed document: ").endsWith("; keeping the last good facts of this file");
    });
    assertThat(broken.files().get(0).stale()).isTrue();
    assertThat(broken.files().get(0).counts()).containsEntry("approvals", 1);

    Workspace stillBroken = WorkspaceLoader.reload(broken, dir);
    assertThat(stillBroken.facts().approvals()).extracting(Approval::id).containsExactly("A-1");
    assertThat(stillBroken.revision()).isEqualTo(broken.revision());

    write("approvals.yaml", "approvals:\n" + approval("A-5", "2026-06-01T09:00:00Z"));
    Workspace fixed = WorkspaceLoader.reload(stillBroken, dir);
    assertThat(fixed.problems()).isEmpty();
    assertThat(fixed.facts().approvals()).extracting(Approval::id).containsExactly("A-5");
    assertThat(fixed.files().get(0).stale()).isFalse();
  }

  @Test
  void aFileBrokenFromTheStartHasNoFactsToKeep() throws IOException {
    write("approvals.yaml", "approvals: [");
    Workspace first = WorkspaceLoader.load(dir);

    Workspace again = WorkspaceLoader.reload(first, dir);

    assertThat(again.facts().size()).isZero();
    assertThat(again.files()).singleElement().extracting(WorkspaceFile::stale).isEqualTo(false);
    assertThat(again.problems()).singleElement().extracting(WorkspaceProblem::message).asString()
        .doesNotContain("keeping");
  }

  @Test
  void reportsFilesAndItemsOfTheWrongShape() throws IOException {
    write("empty.yaml", "");
    write("no-approvals.yaml", "approvals:\nruns: []\n");
    write("null-item.yaml", "approvals:\n  -\n" + approval("A-1", "2026-06-01T09:00:00Z"));
    write("list.json", "[]");
    write("not-a-list.yaml", "runs: {id: R-1}\n");

    Workspace ws = WorkspaceLoader.load(dir);

    assertThat(ws.facts().approvals()).extracting(Approval::id).containsExactly("A-1");
    assertThat(ws.problems()).extracting(WorkspaceProblem::describe).containsExactly(
        "list.json:1: expected an object with lists of facts named admissions, approvals, contracts, doubts,"
            + " evidence, issues, runs",
        "not-a-list.yaml:1: runs: expected a list",
        "null-item.yaml:2: approvals[0]: expected an object, not null");
  }

  @Test
  void reloadKeepsTheLastGoodIssuesOfMarkdownThatIsNoLongerText() throws IOException {
    write("plan.md", "### DEMO-1 - One\nType: AFK\n");
    Workspace good = WorkspaceLoader.load(dir);

    Files.write(dir.resolve("plan.md"), new byte[] {'#', '#', '#', ' ', (byte) 0xff, '\n'});
    Workspace broken = WorkspaceLoader.reload(good, dir);

    assertThat(broken.facts().issues()).extracting(Fact::ref).containsExactly("issue:DEMO-1");
    assertThat(broken.revision()).isEqualTo(good.revision());
    assertThat(broken.problems()).extracting(WorkspaceProblem::describe).containsExactly(
        "plan.md: file is not utf-8 text; keeping the last good facts of this file");
  }
}
