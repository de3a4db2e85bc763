package dev.gatehouse.rules.workspace;

import dev.gatehouse.model.Admission;
import dev.gatehouse.model.Contract;
import dev.gatehouse.model.Doubt;
import dev.gatehouse.model.Fact;
import dev.gatehouse.model.FactKind;
import dev.gatehouse.model.Facts;
import dev.gatehouse.model.Issue;
import dev.gatehouse.model.json.Location;
import dev.gatehouse.rules.StandingFacts;
import dev.gatehouse.rules.source.SourceTree;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loaded workspace: the facts of all its files, the files, the problems found, and a revision
 * that names the content the facts were read from. Immutable; a reload makes a new one.
 */
public final class Workspace {

  private final List<LoadedFile> loaded;
  private final Facts facts;
  private final SortedMap<String, byte[]> contents;
  private final String revision;
  private final List<WorkspaceFile> files;
  private final List<WorkspaceProblem> problems;
  private final Map<String, Integer> counts;
  // Built once per load: every request merged with this workspace looks refs up here.
  private final Map<String, String> sourceByRef;
  // Built once per load: the facts decisions start from, and what each decision's provenance
  // looks up (the facts about an issue, the admissions of a repository).
  private final StandingFacts standing;
  private final Map<String, List<Fact>> factsAbout;
  private final Map<String, List<Admission>> admissionsOf;
  // What every decision about a subject looks up in the above, computed on the first: only for
  // subjects with facts here, so a request cannot grow it beyond the workspace's issues.
  private final Map<String, Surroundings> surroundings = new ConcurrentHashMap<>();

  /**
   * What this workspace holds about an issue: the issue and its blockers ({@code issues}), the
   * repositories of its contracts, and the facts about any of those, by ref.
   */
  record Surroundings(Set<String> issues, Set<String> repositories, SortedMap<String, Fact> facts) {}

  private Workspace(List<LoadedFile> loaded) {
    this.loaded = List.copyOf(loaded);
    // Where each ref is, in file order: one place is a fact, two or more a conflict.
    Map<String, List<String>> places = new HashMap<>();
    for (LoadedFile file : this.loaded) {
      for (LocatedFact located : file.facts()) {
        places.computeIfAbsent(located.fact().ref(), ref -> new ArrayList<>()).add(place(file, located).place());
      }
    }
    List<Fact> all = new ArrayList<>();
    List<WorkspaceFile> files = new ArrayList<>();
    List<WorkspaceProblem> problems = new ArrayList<>();
    Map<String, String> sources = new HashMap<>();
    for (LoadedFile file : this.loaded) {
      problems.addAll(file.problems());
      List<Fact> kept = new ArrayList<>();
      for (LocatedFact located : file.facts()) {
        Fact fact = located.fact();
        Location where = place(file, located);
        String place = where.place();
        List<String> at = places.get(fact.ref());
        sources.putIfAbsent(fact.ref(), at.get(0));
        if (at.size() > 1) {
          // Neither copy is guessed at: both are set aside, and a gate that needs the ref denies.
          problems.add(new WorkspaceProblem(where, "conflict: ref '" + fact.ref()
              + "' is also in " + String.join(", ", at.stream().filter(p -> !p.equals(place)).toList())
              + "; neither is used"));
          if (at.get(0).equals(place)) {
            FactKind kind = FactKind.of(fact);
            all.add(new Doubt(fact.ref(), kind.issue(fact).orElse(null), Doubt.CONFLICT,
                fact.ref() + " is in " + String.join(" and ", at) + ", so neither is used", place));
          }
          continue;
        }
        kept.add(fact.withSource(place));
      }
      all.addAll(kept);
      files.add(new WorkspaceFile(file.path(), file.kind(), FactCounts.of(kept), file.stale(), file.frontMatter()));
    }
    problems.sort(Comparator.comparing(WorkspaceProblem::file)
        .thenComparingInt(WorkspaceProblem::line)
        .thenComparing(WorkspaceProblem::message));
    this.facts = Facts.of(all);
    this.sourceByRef = Map.copyOf(sources);
    this.files = List.copyOf(files);
    this.problems = List.copyOf(problems);
    this.counts = FactCounts.of(facts.sorted());
    SortedMap<String, byte[]> contents = new TreeMap<>();
    this.loaded.forEach(file -> contents.put(file.path(), file.content()));
    this.contents = Collections.unmodifiableSortedMap(contents);
    this.revision = SourceTree.revision(this.contents);
    this.standing = StandingFacts.of(revision, facts);
    Map<String, List<Fact>> about = new HashMap<>();
    Map<String, List<Admission>> admissions = new HashMap<>();
    for (FactKind kind : FactKind.values()) {
      for (Fact fact : kind.in(facts)) {
        if (fact instanceof Admission admission) {
          admissions.computeIfAbsent(admission.repository(), r -> new ArrayList<>()).add(admission);
        } else {
          kind.issue(fact).ifPresent(issue -> about.computeIfAbsent(issue, i -> new ArrayList<>()).add(fact));
        }
      }
    }
    this.factsAbout = about;
    this.admissionsOf = admissions;
  }

  /** Where a fact of a file is: the line it starts on, which also names it as a fact's source ({@code file:line}). */
  private static Location place(LoadedFile file, LocatedFact located) {
    return Location.ofFile(file.path()).at(located.line(), 0);
  }

  /** A workspace of files sorted by path. */
  static Workspace of(List<LoadedFile> sortedFiles) {
    return new Workspace(sortedFiles);
  }

  /** The file and line a fact of this workspace came from (the first, for a conflict), if it holds {@code ref}. */
  public Optional<String> sourceOf(String ref) {
    return Optional.ofNullable(sourceByRef.get(ref));
  }

  /**
   * The facts of all files, each with its file and line as {@code source}; a ref found in two
   * places is not among them, but a doubt ({@code fact-conflict}) about it is.
   */
  public Facts facts() {
    return facts;
  }

  /**
   * The workspace's facts as the facts every decision with it starts from: a policy set may keep
   * them resident in its sessions for as long as this workspace is in use. One instance per load,
   * so a new revision is a new instance.
   */
  public StandingFacts standing() {
    return standing;
  }

  /** The facts whose kind names {@code issue} as the issue they are about (an issue is about itself). */
  List<Fact> factsAbout(String issue) {
    return factsAbout.getOrDefault(issue, List.of());
  }

  /** The admissions of {@code repository}. */
  List<Admission> admissionsOf(String repository) {
    return admissionsOf.getOrDefault(repository, List.of());
  }

  /** What this workspace holds about {@code subject}: see {@link Surroundings}. */
  Surroundings surroundings(String subject) {
    if (!factsAbout.containsKey(subject)) {
      // Nothing is about it: no blocker, contract or fact, so nothing to keep.
      return new Surroundings(Set.of(subject), Set.of(), Collections.emptySortedMap());
    }
    return surroundings.computeIfAbsent(subject, this::surroundingsOf);
  }

  private Surroundings surroundingsOf(String subject) {
    Set<String> issues = new HashSet<>();
    issues.add(subject);
    Set<String> repositories = new HashSet<>();
    for (Fact fact : factsAbout(subject)) {
      if (fact instanceof Issue issue && issue.id().equals(subject)) {
        issues.addAll(issue.blockedBy());
      } else if (fact instanceof Contract contract) {
        repositories.add(contract.repository());
      }
    }
    SortedMap<String, Fact> facts = new TreeMap<>();
    for (String issue : issues) {
      factsAbout(issue).forEach(fact -> facts.put(fact.ref(), fact));
    }
    for (String repository : repositories) {
      admissionsOf(repository).forEach(admission -> facts.put(admission.ref(), admission));
    }
    return new Surroundings(Set.copyOf(issues), Set.copyOf(repositories), Collections.unmodifiableSortedMap(facts));
  }

  /**
   * {@link SourceTree#revision} of the workspace files' paths and contents, the format of a policy
   * set's revision too. A file kept at its last good facts counts with its last good content, so
   * the revision changes exactly when the facts' inputs do.
   */
  public String revision() {
    return revision;
  }

  /**
   * The bytes the facts were read from, by path (for a file kept at its last good facts, the last
   * good bytes): what {@link #revision()} names, and all {@link WorkspaceLoader#rebuild} needs to
   * make this workspace again. The arrays are shared, not copied: callers must not change them.
   */
  public SortedMap<String, byte[]> contents() {
    return contents;
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
}
