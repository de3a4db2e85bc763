package dev.gatehouse.rules.workspace;

import dev.gatehouse.model.Doubt;
import dev.gatehouse.model.Issue;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A planning markdown file as read by {@link PlanningMarkdown}.
 *
 * @param path the workspace-relative path, also the {@code source} of its issues
 * @param frontMatter the YAML front matter as a map, empty when there is none or it is unreadable
 * @param issues the issues read without a problem, in document order
 * @param doubts an {@code issue-unreadable} doubt for each issue that could not be read, naming why
 * @param issueLines the line of each issue's heading, by issue id, for issues and doubts alike
 * @param problems what could not be read, with lines
 * @param planning whether the file is planning at all: it has front matter or an issue heading
 */
public record PlanningDocument(
    String path,
    Map<String, Object> frontMatter,
    List<Issue> issues,
    List<Doubt> doubts,
    Map<String, Integer> issueLines,
    List<WorkspaceProblem> problems,
    boolean planning) {

  public PlanningDocument {
    // Front matter may hold null values (`key:`), which Map.copyOf refuses.
    frontMatter = Collections.unmodifiableMap(new LinkedHashMap<>(frontMatter));
    issues = List.copyOf(issues);
    doubts = List.copyOf(doubts);
    issueLines = Map.copyOf(issueLines);
    problems = List.copyOf(problems);
  }
}
