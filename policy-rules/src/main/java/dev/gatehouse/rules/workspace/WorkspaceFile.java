package dev.gatehouse.rules.workspace;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One file a workspace was loaded from.
 *
 * @param path the workspace-relative path, with {@code /} separators
 * @param kind whether it is a planning markdown file or a fact file
 * @param counts how many facts of each kind (by JSON name, e.g. {@code approvals}) it contributed
 * @param stale whether the file's current content is unreadable and the counted facts are the last
 *     good ones from an earlier load
 * @param frontMatter a planning file's YAML front matter ({@code status}, {@code owner}, ...) as
 *     written, empty for fact files
 */
public record WorkspaceFile(String path, Kind kind, Map<String, Integer> counts, boolean stale,
    Map<String, Object> frontMatter) {

  /** What a workspace file holds. */
  public enum Kind {
    /** Markdown with issue sections or front matter, in the seed's format. */
    PLANNING,
    /** YAML or JSON shaped like the {@code facts} object of a request. */
    FACTS
  }

  public WorkspaceFile {
    counts = FactCounts.copy(counts);
    // Front matter may hold null values (`key:`), which Map.copyOf refuses.
    frontMatter = Collections.unmodifiableMap(new LinkedHashMap<>(frontMatter));
  }
}
