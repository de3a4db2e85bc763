package dev.gatehouse.rules.workspace;

import dev.gatehouse.model.Fact;
import dev.gatehouse.model.Facts;
import dev.gatehouse.rules.source.SourceTree;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A loaded workspace: the facts of all its files, the files, the problems found, and a revision
 * that names the content the facts were read from. Immutable; a reload makes a new one.
 */
public final class Workspace {

  private final List<LoadedFile> loaded;
  private final Facts facts;
  private final String revision;
  private final List<WorkspaceFile> files;
  private final List<WorkspaceProblem> problems;
  private final Map<String, Integer> counts;
  // Built once per load: every request merged with this workspace looks refs up here.
  private final Map<String, String> sourceByRef;

  private Workspace(List<LoadedFile> loaded) {
    this.loaded = List.copyOf(loaded);
    List<Fact> all = new ArrayList<>();
    List<WorkspaceFile> files = new ArrayList<>();
    List<WorkspaceProblem> problems = new ArrayList<>();
    Map<String, String> firstPlace = new HashMap<>();
    Map<String, String> sources = new HashMap<>();
    for (LoadedFile file : this.loaded) {
      problems.addAll(file.problems());
      List<Fact> kept = new ArrayList<>();
      for (LocatedFact located : file.facts()) {
        Fact fact = located.fact();
        String place = file.path() + ":" + located.line();
        // Invariant: files come sorted by path, so "the later one" is the same on every load.
        String earlier = firstPlace.putIfAbsent(fact.ref(), place);
        if (earlier != null) {
          problems.add(new WorkspaceProblem(file.path(), located.line(),
              "duplicate ref '" + fact.ref() + "', first in " + earlier + "; this one is not loaded"));
          continue;
        }
        kept.add(fact);
        sources.put(fact.ref(), fact.source());
      }
      all.addAll(kept);
      files.add(new WorkspaceFile(file.path(), file.kind(), FactCounts.of(kept), file.stale()));
    }
    problems.sort(Comparator.comparing(WorkspaceProblem::file)
        .thenComparingInt(WorkspaceProblem::line)
        .thenComparing(WorkspaceProblem::message));
    this.facts = Facts.of(all);
    this.sourceByRef = Map.copyOf(sources);
    this.files = List.copyOf(files);
    this.problems = List.copyOf(problems);
    this.counts = FactCounts.of(facts.sorted());
    this.revision = revision(this.loaded);
  }

  /** A workspace of files sorted by path. */
  static Workspace of(List<LoadedFile> sortedFiles) {
    return new Workspace(sortedFiles);
  }

  /** The file a fact of this workspace came from, if the workspace holds a fact with {@code ref}. */
  public Optional<String> sourceOf(String ref) {
    return Optional.ofNullable(sourceByRef.get(ref));
  }

  /** The facts of all files; each carries its file's path as {@code source}. */
  public Facts facts() {
    return facts;
  }

  /**
   * {@link SourceTree#revision} of the workspace files' paths and contents, the format of a policy
   * set's revision too. A file kept at its last good facts counts with its last good content, so
   * the revision changes exactly when the facts' inputs do.
   */
  public String revision() {
    return revision;
  }

  /** The planning and fact files, sorted by path. */
  public List<WorkspaceFile> files() {
    return files;
  }

  /** Every problem found, sorted by file and line. */
  public List<WorkspaceProblem> problems() {
    return problems;
  }

  /** How many facts of each kind were loaded, by JSON name such as {@code approvals}. */
  public Map<String, Integer> counts() {
    return counts;
  }

  Optional<LoadedFile> loaded(String path) {
    return loaded.stream().filter(f -> f.path().equals(path)).findFirst();
  }

  private static String revision(List<LoadedFile> files) {
    SortedMap<String, byte[]> contents = new TreeMap<>();
    files.forEach(file -> contents.put(file.path(), file.content()));
    return SourceTree.revision(contents);
  }
}
