package dev.gatehouse.rules.workspace;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one workspace file contributed before facts of all files are merged.
 *
 * @param path workspace-relative path
 * @param kind planning or facts
 * @param content the bytes the facts were read from; for a stale file the last good bytes, so the
 *     revision names the facts in effect
 * @param facts the facts with their lines, in file order
 * @param problems the problems of this file
 * @param broken whether the current content could not be read as a whole
 * @param stale whether {@code facts} and {@code content} come from an earlier load
 * @param frontMatter a planning file's YAML front matter, empty for fact files
 */
record LoadedFile(
    String path,
    WorkspaceFile.Kind kind,
    byte[] content,
    List<LocatedFact> facts,
    List<WorkspaceProblem> problems,
    boolean broken,
    boolean stale,
    Map<String, Object> frontMatter) {

  LoadedFile {
    facts = List.copyOf(facts);
    problems = List.copyOf(problems);
    // Front matter may hold null values (`key:`), which Map.copyOf refuses.
    frontMatter = Collections.unmodifiableMap(new LinkedHashMap<>(frontMatter));
  }

  /** A file without front matter: a fact file. */
  LoadedFile(String path, WorkspaceFile.Kind kind, byte[] content, List<LocatedFact> facts,
      List<WorkspaceProblem> problems, boolean broken, boolean stale) {
    this(path, kind, content, facts, problems, broken, stale, Map.of());
  }

  static LoadedFile broken(String path, WorkspaceFile.Kind kind, byte[] content, WorkspaceProblem problem) {
    return new LoadedFile(path, kind, content, List.of(), List.of(problem), true, false);
  }

  /** Whether a later load may fall back to this file's facts: it holds facts read from good content. */
  boolean hasGoodFacts() {
    return !broken || stale;
  }

  /** This broken file standing in with the last good facts and content of {@code lastGood}. */
  LoadedFile keeping(LoadedFile lastGood) {
    List<WorkspaceProblem> noted = problems.stream()
        .map(p -> new WorkspaceProblem(p.location(), p.problem() + "; keeping the last good facts of this file"))
        .toList();
    return new LoadedFile(path, kind, lastGood.content, lastGood.facts, noted, true, true, lastGood.frontMatter);
  }
}
