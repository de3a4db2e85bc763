package dev.gatehouse.rules.workspace;

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
 * @param issues the issues in document order
 * @param issueLines the line of each issue's heading, by issue id
 * @param problems what could not be read, with lines
 */
public record PlanningDocument(
    String path,
    Map<String, Object> frontMatter,
    List<Issue> issues,
    Map<String, Integer> issueLines,
    List<WorkspaceProblem> problems) {

  public PlanningDocument {
    // Front matter may hold null values (`key:`), which Map.copyOf refuses.
    frontMatter = Collections.unmodifiableMap(new LinkedHashMap<>(frontMatter));
    issues = List.copyOf(issues);
    issueLines = Map.copyOf(issueLines);
    problems = List.copyOf(problems);
  }
}
