package dev.gatehouse.server.policies;

import dev.gatehouse.rules.CompileResult;
import dev.gatehouse.rules.PolicyFiles;
import dev.gatehouse.rules.PolicySet;
import dev.gatehouse.rules.RuleInfo;
import dev.gatehouse.server.log.DecisionReader;
import dev.gatehouse.server.log.Snapshot;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Finds a policy revision's rule files and rules, wherever the server has them: the active set, a
 * candidate it compiled recently, or the decision log's snapshot of a revision that decided
 * something. A revision from the log is compiled once to learn its rules (names, gates, codes,
 * files and lines are the compiler's, as in a trace); the rules are kept for the most recent
 * revisions asked for, the compiled set is not.
 *
 * <p>Candidates are kept in memory only, the last {@value #CANDIDATES} that compiled: a client that
 * replayed a decision against a candidate can read the candidate back by the revision the replay
 * named, and compare it with another, until newer candidates push it out or the server restarts.
 */
public final class PolicyRevisions {

  /** The name that stands for the active revision wherever a revision is asked for. */
  public static final String ACTIVE = "active";

  /** Candidates kept: each holds at most a check's files (1 MiB) and its rules. */
  static final int CANDIDATES = 8;

  /** Revisions from the log whose rules are kept: rules are small, compiling them again is not. */
  static final int DESCRIBED = 32;

  private static final Pattern REVISION = Pattern.compile("sha256:[0-9a-f]{64}");

  /** What compiling a logged revision told: its rules, or why it has none. */
  private record Described(List<RuleInfo> rules, String problem) {}

  private final Supplier<Optional<PolicySet>> active;
  private final Optional<? extends DecisionReader> log;
  private final Function<PolicyFiles, CompileResult> compiler;
  // Invariant: both maps are only touched while holding this object's lock.
  private final Map<String, PolicyRevision> candidates = recent(CANDIDATES);
  private final Map<String, Described> described = recent(DESCRIBED);

  /**
   * Revisions of the set {@code active} gives, of candidates {@linkplain #remember remembered},
   * and of the snapshots in {@code log}; a logged revision's rules come from {@code compiler}.
   */
  public PolicyRevisions(Supplier<Optional<PolicySet>> active, Optional<? extends DecisionReader> log,
      Function<PolicyFiles, CompileResult> compiler) {
    this.active = active;
    this.log = log;
    this.compiler = compiler;
  }

  /** Whether {@code name} could name a revision: {@value #ACTIVE}, or {@code sha256:} and 64 lower-case hex digits. */
  public static boolean wellFormed(String name) {
    return name != null && (name.equals(ACTIVE) || REVISION.matcher(name).matches());
  }

  /**
   * The revision {@code name} names ({@value #ACTIVE} for the active one), its rules known unless
   * it comes from the log and was not {@linkplain #describe described} recently; empty when the
   * server has no such revision (or, for {@value #ACTIVE}, no active set). Reads the log: call it
   * off the event loop.
   *
   * @throws IllegalStateException when the log's snapshot of it was altered
   */
  public Optional<PolicyRevision> find(String name) {
    Optional<PolicySet> current = active.get();
    if (name.equals(ACTIVE) || current.isPresent() && current.get().revision().equals(name)) {
      return current.map(set -> new PolicyRevision(set.revision(), PolicyRevision.Origin.ACTIVE, set.files(),
          Optional.of(set.rules()), null));
    }
    synchronized (this) {
      PolicyRevision candidate = candidates.get(name);
      if (candidate != null) {
        return Optional.of(candidate);
      }
    }
    if (!REVISION.matcher(name).matches()) {
      return Optional.empty();
    }
    return log.flatMap(l -> l.snapshot(name))
        .filter(snapshot -> snapshot.kind() == Snapshot.Kind.POLICY)
        .map(snapshot -> {
          PolicyFiles files = PolicyFiles.of(snapshot.files());
          Described known;
          synchronized (this) {
            known = described.get(name);
          }
          return known == null
              ? new PolicyRevision(name, PolicyRevision.Origin.LOGGED, files, Optional.empty(), null)
              : new PolicyRevision(name, PolicyRevision.Origin.LOGGED, files, Optional.ofNullable(known.rules()),
                  known.problem());
        });
  }

  /**
   * {@code found} with its rules, compiling its files when they are not known yet: a revision that
   * no longer compiles (a stricter sandbox, say) comes back with its files, no rules and the
   * problem. Compiles: run it where candidate sets compile.
   */
  public PolicyRevision describe(PolicyRevision found) {
    if (found.described()) {
      return found;
    }
    CompileResult result = compiler.apply(found.files());
    Described now = result.policySet()
        .map(set -> new Described(set.rules(), null))
        .orElseGet(() -> new Described(null, "policy revision " + found.revision()
            + " no longer compiles from its snapshot, so its rules cannot be listed: "
            + (result.errors().isEmpty() ? "the compile failed" : result.errors().get(0).describe())));
    synchronized (this) {
      described.put(found.revision(), now);
    }
    return new PolicyRevision(found.revision(), found.origin(), found.files(), Optional.ofNullable(now.rules()),
        now.problem());
  }

  /** Keeps {@code candidate}'s files and rules, not the compiled set, among the recent candidates. */
  public void remember(PolicySet candidate) {
    PolicyRevision revision = new PolicyRevision(candidate.revision(), PolicyRevision.Origin.CANDIDATE,
        candidate.files(), Optional.of(candidate.rules()), null);
    synchronized (this) {
      candidates.put(candidate.revision(), revision);
    }
  }

  /** A map that forgets the entry used longest ago once it holds more than {@code size}. */
  private static <V> Map<String, V> recent(int size) {
    return new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        return size() > size;
      }
    };
  }
}
