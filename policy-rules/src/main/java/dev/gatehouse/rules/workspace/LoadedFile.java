package dev.gatehouse.rules.workspace;

import java.util.List;

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
 */
record LoadedFile(
    String path,
    WorkspaceFile.Kind kind,
    byte[] content,
    List<LocatedFact> facts,
    List<WorkspaceProblem> problems,
    boolean broken,
    boolean stale) {

  LoadedFile {
    facts = List.copyOf(facts);
    problems = List.copyOf(problems);
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
    return new LoadedFile(path, kind, lastGood.content, lastGood.facts, noted, true, true);
  }
}
