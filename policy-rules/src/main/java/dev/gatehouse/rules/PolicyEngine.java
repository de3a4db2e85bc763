package dev.gatehouse.rules;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The active policy set of a policy directory, and the decisions made with it.
 *
 * <p>Invariant: a set that does not compile never replaces the active one; the failure is kept as
 * {@link #lastReloadFailure()} until a later reload succeeds. A decision runs entirely on the set
 * it took from {@link #active()}, so a reload never mixes two revisions in one decision.
 */
public final class PolicyEngine {

  /** A reload that did not activate anything, with why. */
  public record ReloadFailure(String revision, java.util.List<CompileIssue> issues, String message) {}

  private final PolicyCompiler compiler;
  private final Path directory;
  private final AtomicReference<PolicySet> active = new AtomicReference<>();
  private final AtomicReference<ReloadFailure> lastFailure = new AtomicReference<>();

  /** An engine over {@code directory}; nothing is loaded until {@link #reload()}. */
  public PolicyEngine(PolicyCompiler compiler, Path directory) {
    this.compiler = compiler;
    this.directory = directory;
  }

  /**
   * Reads and compiles the policy directory; activates the result only if it compiled and differs
   * from the active revision.
   */
  public synchronized CompileResult reload() {
    PolicyFiles files;
    try {
      files = PolicyFiles.read(directory);
    } catch (IOException e) {
      CompileIssue issue = new CompileIssue("", 0, 0, CompileIssue.Severity.ERROR,
          "cannot read policy directory " + directory + ": " + e.getMessage());
      CompileResult result = new CompileResult(Optional.empty(), java.util.List.of(issue));
      lastFailure.set(new ReloadFailure(null, result.issues(), issue.message()));
      return result;
    }
    PolicySet current = active.get();
    if (current != null && current.revision().equals(files.revision())) {
      lastFailure.set(null);
      return new CompileResult(Optional.of(current), java.util.List.of());
    }
    CompileResult result = compiler.compile(files);
    if (result.succeeded()) {
      active.set(result.policySet().orElseThrow());
      lastFailure.set(null);
    } else {
      String first = result.errors().isEmpty() ? "compile failed" : result.errors().get(0).describe();
      lastFailure.set(new ReloadFailure(files.revision(), result.issues(), first));
    }
    return result;
  }

  /** The active policy set, if one ever compiled. */
  public Optional<PolicySet> active() {
    return Optional.ofNullable(active.get());
  }

  /** The last reload that failed, while no later reload has succeeded. */
  public Optional<ReloadFailure> lastReloadFailure() {
    return Optional.ofNullable(lastFailure.get());
  }

  /** The policy directory. */
  public Path directory() {
    return directory;
  }

  /** The compiler, for checking candidate sets without activating them. */
  public PolicyCompiler compiler() {
    return compiler;
  }
}
