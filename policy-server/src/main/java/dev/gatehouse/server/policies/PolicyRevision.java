package dev.gatehouse.server.policies;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.gatehouse.rules.PolicyFiles;
import dev.gatehouse.rules.RuleInfo;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One policy revision's rule files, and its rules once they are known.
 *
 * @param revision the revision: {@code sha256:} of the files
 * @param origin where the server found it
 * @param files its rule files
 * @param rules its rules as the compiler describes them, by file and line; empty until described
 *     (see {@link PolicyRevisions#describe}), and for a revision that no longer compiles
 * @param problem why a revision found in the log has no rules: it no longer compiles; null otherwise
 */
public record PolicyRevision(String revision, Origin origin, PolicyFiles files, Optional<List<RuleInfo>> rules,
    String problem) {

  /** Where a revision was found; the active set first, then candidates, then the log. */
  public enum Origin {
    /** The set deciding now. */
    ACTIVE,
    /** A candidate set this server compiled for a check or a replay, kept while recent. */
    CANDIDATE,
    /** A revision that decided something, from the decision log's snapshot of its files. */
    LOGGED;

    /** The name in JSON: {@code active}, {@code candidate}, {@code logged}. */
    @JsonValue
    public String jsonName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public PolicyRevision {
    Objects.requireNonNull(revision, "revision");
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(files, "files");
    rules = rules.map(List::copyOf);
  }

  /** Whether its rules are known (or known to be unknowable): nothing is left to compile. */
  public boolean described() {
    return rules.isPresent() || problem != null;
  }
}
