package dev.gatehouse.rules.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.model.Criterion;
import dev.gatehouse.model.Issue;
import dev.gatehouse.model.json.Location;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PlanningMarkdownTest {

  static final String SEED = "CTO-FIRST-REAL-GOVERNED-WORKFLOW-ISSUES.md";

  static Path examples() {
    return Path.of(System.getProperty("gatehouse.root"), "examples", "workspace");
  }

  @Test
  void readsTheSeedIntoExactlyThreeIssues() throws IOException {
    String text = Files.readString(examples().resolve(SEED), StandardCharsets.UTF_8);

    PlanningDocument doc = PlanningMarkdown.parse(SEED, text);

    assertThat(doc.problems()).isEmpty();
    assertThat(doc.frontMatter())
        .containsEntry("name", "cto-first-real-governed-workflow-issues")
        .containsEntry("owner", "jp")
        .containsEntry("created", "2026-06-01")
        .hasSize(10);
    assertThat(doc.issues()).extracting(Issue::id).containsExactly("CTO-WORK-048", "CTO-WORK-049", "CTO-WORK-050");
    assertThat(doc.issues()).allSatisfy(i -> assertThat(i.source()).isEqualTo(SEED));

    Issue prd = doc.issues().get(0);
    assertThat(prd.title()).isEqualTo("First Real Governed Workflow PRD");
    assertThat(prd.type()).isEqualTo("AFK");
    assertThat(prd.status()).isEqualTo("validated");
    assertThat(prd.blockedBy()).containsExactly("CTO-WORK-047");
    assertThat(prd.criteria()).hasSize(8).allMatch(Criterion::done);
    assertThat(prd.criteria().get(0).text()).isEqualTo("PRD requires precise brief or issue.");
    assertThat(prd.validator()).isEqualTo("python3 tools/validate_cto_child.py");
    assertThat(prd.humanGate()).isNull();

    Issue execution = doc.issues().get(1);
    assertThat(execution.title()).isEqualTo("First Real Governed Workflow Execution");
    assertThat(execution.type()).isEqualTo("HITL");
    assertThat(execution.status()).isEqualTo("candidate");
    assertThat(execution.blockedBy()).containsExactly("CTO-WORK-048");
    assertThat(execution.criteria()).hasSize(10).noneMatch(Criterion::done);
    assertThat(execution.validator())
        .isEqualTo("future focused real-workflow Harness validator, then harness/evals/health.sh --json");
    assertThat(execution.humanGate())
        .isEqualTo("JP must approve the concrete Target Repository and task contract before execution.");

    Issue packet = doc.issues().get(2);
    assertThat(packet.type()).isEqualTo("HITL");
    assertThat(packet.status()).isEqualTo("validated");
    assertThat(packet.blockedBy()).containsExactly("CTO-WORK-049");
    assertThat(packet.criteria()).hasSize(9).allMatch(Criterion::done);
    assertThat(packet.humanGate()).isNull();
    assertThat(doc.issueLines()).containsEntry("CTO-WORK-048", 23);
  }

  @Test
  void readsStatusBlockersAndCriteriaVariants() {
    String text = """
        ### DEMO-1 - First
        Type: hitl
        Status: ready.
        Blocked by: none
        - [X] upper-case box
        - [ ] open box
        ### DEMO-2 - Second - with a dash
        Type: AFK
        Status: candidate
        Blocked by:
        ### DEMO-3 - Third
        Type: AFK
        Blocked by: `DEMO-1`, DEMO-2.
        Validator: `mvn -q verify`
        ## Notes
        - [ ] not a criterion of DEMO-3
        Status: not a status of DEMO-3
        """;

    PlanningDocument doc = PlanningMarkdown.parse("planning/x.md", text);

    assertThat(doc.problems()).isEmpty();
    assertThat(doc.issues()).containsExactly(
        new Issue("DEMO-1", "First", "HITL", "ready", null,
            java.util.List.of(new Criterion("upper-case box", true), new Criterion("open box", false)),
            null, null, "planning/x.md"),
        new Issue("DEMO-2", "Second - with a dash", "AFK", "candidate", null, null, null, null, "planning/x.md"),
        new Issue("DEMO-3", "Third", "AFK", null, java.util.List.of("DEMO-1", "DEMO-2"), null, "mvn -q verify", null,
            "planning/x.md"));
  }

  @Test
  void reportsBadSectionsAndLoadsTheOthers() {
    String text = """
        intro line
        ---
        name: [unclosed
        ---
        ### - Missing id
        Type: AFK
        ### DEMO-1 - Good
        Type: AFK
        ### DEMO-1 - Again
        Type: AFK
        ### DEMO-2 - Odd type
        Type: robot
        ### DEMO-3 - No type
        Status: ready
        """;

    PlanningDocument doc = PlanningMarkdown.parse("p.md", text);

    assertThat(doc.issues()).extracting(Issue::id).containsExactly("DEMO-1");
    assertThat(doc.frontMatter()).isEmpty();
    assertThat(doc.problems()).extracting(WorkspaceProblem::line).containsExactly(3, 5, 9, 12, 13);
    assertThat(doc.problems().get(0).message()).startsWith("front matter is not readable yaml: ");
    assertThat(doc.problems().subList(1, 5)).extracting(WorkspaceProblem::describe).containsExactly(
        "p.md:5: issue heading '### - Missing id' has no id: expected '### ID - Title' such as '### CTO-WORK-049 - Title'",
        "p.md:9: duplicate issue id DEMO-1, first at line 7; this one is not loaded",
        "p.md:12: issue DEMO-2 has unknown type 'robot': expected AFK or HITL; the issue is not loaded",
        "p.md:13: issue DEMO-3 has no 'Type:' line: expected AFK or HITL; the issue is not loaded");
  }

  @Test
  void readsIssuesAfterFrontMatterThatIsNotClosed() {
    PlanningDocument doc = PlanningMarkdown.parse("p.md", "path line\n---\nname: x\n### DEMO-1 - One\nType: AFK\n");

    assertThat(doc.issues()).extracting(Issue::id).containsExactly("DEMO-1");
    assertThat(doc.problems()).extracting(WorkspaceProblem::describe)
        .containsExactly("p.md:2: front matter is not closed: expected a line '---'");
  }

  @Test
  void tellsPlanningFromOtherMarkdown() {
    assertThat(PlanningMarkdown.isPlanning("# Readme\n\n## Usage\n\nText.\n")).isFalse();
    assertThat(PlanningMarkdown.isPlanning("# Plan\n### DEMO-1 - One\n")).isTrue();
    assertThat(PlanningMarkdown.isPlanning("a path\n---\nname: x\n---\n# Title\n")).isTrue();
  }

  @Test
  void rendersProblemsAsOneLine() {
    assertThat(new WorkspaceProblem(new Location("approvals.yaml", 7, 3, "approvals[1]"), "bad").describe())
        .isEqualTo("approvals.yaml:7: approvals[1]: bad");
    assertThat(new WorkspaceProblem(Location.ofFile("x.md"), "file is not utf-8 text").describe())
        .isEqualTo("x.md: file is not utf-8 text");
  }
}
