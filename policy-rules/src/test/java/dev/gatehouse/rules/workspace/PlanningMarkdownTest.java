package dev.gatehouse.rules.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.model.Criterion;
import dev.gatehouse.model.Doubt;
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
        Blocked by: None.
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
        ### - Missing id
        Type: AFK
        ### DEMO-1 - Good
        Type: AFK
        ### DEMO-2 - Twice
        Type: AFK
        ### DEMO-2 - Again
        Type: AFK
        ### DEMO-3 - Odd type
        Type: robot
        ### DEMO-4 - No type
        Status: ready
        """;

    PlanningDocument doc = PlanningMarkdown.parse("p.md", text);

    assertThat(doc.issues()).extracting(Issue::id).containsExactly("DEMO-1");
    assertThat(doc.doubts()).extracting(Doubt::issue).containsExactly("DEMO-2", "DEMO-3", "DEMO-4");
    assertThat(doc.doubts()).allSatisfy(d -> assertThat(d.code()).isEqualTo(Doubt.UNREADABLE));
    assertThat(doc.doubts().get(0).message()).isEqualTo(
        "issue DEMO-2 is unreadable: p.md:6: its heading is also at line 8; p.md:8: its heading is also at line 6");
    assertThat(doc.issueLines()).containsEntry("DEMO-2", 6).containsEntry("DEMO-4", 12);
    assertThat(doc.problems()).extracting(WorkspaceProblem::describe).containsExactly(
        "p.md:2: heading '- Missing id' looks like an issue but has no id: expected 'ID - Title' such as 'CTO-WORK-049 - Title'",
        "p.md:6: issue DEMO-2 is unreadable: its heading is also at line 8",
        "p.md:8: issue DEMO-2 is unreadable: its heading is also at line 6",
        "p.md:11: issue DEMO-3 is unreadable: type 'robot' is not AFK or HITL",
        "p.md:12: issue DEMO-4 is unreadable: it has no 'Type:' line: expected AFK or HITL");
  }

  @Test
  void aFrontMatterThatIsNotClosedOrNotYamlMakesEveryIssueUnreadable() {
    PlanningDocument unclosed = PlanningMarkdown.parse("p.md", "path line\n---\nname: x\n### DEMO-1 - One\nType: AFK\n");
    PlanningDocument broken = PlanningMarkdown.parse("p.md", "---\nname: [unclosed\n---\n### DEMO-1 - One\nType: AFK\n");

    assertThat(unclosed.issues()).isEmpty();
    assertThat(unclosed.doubts()).singleElement().extracting(Doubt::message).isEqualTo("issue DEMO-1 is unreadable:"
        + " p.md:2: front matter is not closed: expected a line '---'; every issue of this file is unreadable");
    assertThat(unclosed.problems()).extracting(WorkspaceProblem::describe)
        .containsExactly("p.md:2: front matter is not closed: expected a line '---'; every issue of this file is unreadable");
    assertThat(broken.issues()).isEmpty();
    assertThat(broken.frontMatter()).isEmpty();
    assertThat(broken.problems()).singleElement().satisfies(p -> {
      assertThat(p.line()).isEqualTo(2);
      assertThat(p.message()).startsWith("front matter is not readable yaml: ").endsWith("; every issue of this file is unreadable");
    });
  }

  @Test
  void aFieldWithoutAValueIsAProblemNotAnEmptyField() {
    PlanningDocument doc = PlanningMarkdown.parse("p.md", "### DEMO-1 - One\nType: AFK\nBlocked by:\n### DEMO-2 - Two\nType: AFK\n");

    assertThat(doc.issues()).extracting(Issue::id).containsExactly("DEMO-2");
    assertThat(doc.problems()).extracting(WorkspaceProblem::describe).containsExactly(
        "p.md:3: issue DEMO-1 is unreadable: 'Blocked by' has no value: write none if it has no blockers");
  }

  @Test
  void tellsPlanningFromOtherMarkdown() {
    assertThat(PlanningMarkdown.isPlanning("# Readme\n\n## Usage\n\nText.\n")).isFalse();
    assertThat(PlanningMarkdown.isPlanning("# Plan\n### DEMO-1 - One\n")).isTrue();
    assertThat(PlanningMarkdown.isPlanning("a path\n---\nname: x\n---\n# Title\n")).isTrue();
    assertThat(PlanningMarkdown.isPlanning("# Plan\n## GH-7: One\n")).isTrue();
    assertThat(PlanningMarkdown.isPlanning("# Plan\n## cto-work-7 - One\n")).as("a misread id is reported, not skipped").isTrue();
  }

  @Test
  void rendersProblemsAsOneLine() {
    assertThat(new WorkspaceProblem(new Location("approvals.yaml", 7, 3, "approvals[1]"), "bad").describe())
        .isEqualTo("approvals.yaml:7: approvals[1]: bad");
    assertThat(new WorkspaceProblem(Location.ofFile("x.md"), "file is not utf-8 text").describe())
        .isEqualTo("x.md: file is not utf-8 text");
  }
}
