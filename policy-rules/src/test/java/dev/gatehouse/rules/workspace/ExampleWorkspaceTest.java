package dev.gatehouse.rules.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.model.Fact;
import dev.gatehouse.model.Issue;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExampleWorkspaceTest {

  @Test
  void loadsTheExampleWorkspaceWithoutProblems() throws IOException {
    Workspace ws = WorkspaceLoader.load(PlanningMarkdownTest.examples());

    assertThat(ws.problems()).extracting(WorkspaceProblem::describe).isEmpty();
    Map<String, Integer> expected = new LinkedHashMap<>();
    expected.put("issues", 10);
    expected.put("admissions", 2);
    expected.put("contracts", 5);
    expected.put("approvals", 3);
    expected.put("evidence", 14);
    expected.put("runs", 3);
    expected.put("doubts", 0);
    assertThat(ws.counts()).containsExactlyEntriesOf(expected);
    assertThat(ws.files()).extracting(WorkspaceFile::path).containsExactly(
        PlanningMarkdownTest.SEED, "admissions.yaml", "approvals.yaml", "contracts.yaml", "evidence.yaml",
        "planning/DEMO-ISSUES.md", "runs.yaml");
    assertThat(ws.facts().issues()).extracting(Issue::id).containsExactly(
        "CTO-WORK-048", "CTO-WORK-049", "CTO-WORK-050",
        "DEMO-101", "DEMO-102", "DEMO-103", "DEMO-104", "DEMO-105", "DEMO-106", "DEMO-107");
    assertThat(ws.facts().sorted()).extracting(Fact::source).doesNotContain(Fact.REQUEST_SOURCE);
  }
}
