package dev.gatehouse.rules;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The active policy set of a policy directory, and the decisions made with it.
 *
 * <p>Invariant: a set that does not compile never replaces the active one; the failure is kept as
 * {@link #lastReloadFailure()} until a later reload succeeds. A decision runs entirely on the set
 * it took from {@link #active()}, so a reload never mixes two revisions in one decision.
 *
 * <p>Invariant: only a revision the directory still holds after it compiled is activated, so a
 * file that was still being written while the set compiled is never served.
 *
 * <p>Every compile goes through one guard: a compiler that throws instead of reporting its
 * problems gives a failed result, never an exception to the caller (see {@link #fatal}).
 */
public final class PolicyEngine {

  private static final Logger LOG = LoggerFactory.getLogger(PolicyEngine.class);

  /**
   * A reload that did not activate anything, with why.
   *
   * @param revision the revision that failed; null when the directory could not be read
   * @param issues the problems found, sorted
   * @param message the first error, one line
   * @param cause what the compiler threw, when it threw instead of reporting its problems
   */
  public record ReloadFailure(String revision, List<CompileIssue> issues, String message, Optional<Throwable> cause) {

    public ReloadFailure {
      issues = List.copyOf(issues);
    }
  }

  /**
   * What one reload did.
   *
   * @param status whether it activated, found nothing new, failed or was overtaken by a change
   * @param revision the revision read from the directory; null when it could not be read
   * @param compiled the compile's result; no set and no issues when nothing was compiled
   */
  public record Reload(Status status, String revision, CompileResult compiled) {

    /** What became of the revision a reload read. */
    public enum Status {
      /** It compiled and is now the active set. */
      ACTIVATED,
      /** It is the active revision already; nothing was compiled, a recorded failure is cleared. */
      UNCHANGED,
      /** It did not compile, or the directory could not be read: recorded, the active set kept. */
      FAILED,
      /**
       * The directory changed before the compile's result could be used: nothing was activated or
       * recorded; reload again once the directory is stable.
       */
      SUPERSEDED
    }
  }

  /** A compile's result, and what the compiler threw when it did not return one. */
  private record Compiled(CompileResult result, Optional<Throwable> thrown) {}

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
   * Reads and compiles the policy directory; activates the result only if it compiled, differs
   * from the active revision and is still what the directory holds once compiled.
   */
  public synchronized Reload reload() {
    return reload(null);
  }

  /**
   * Like {@link #reload()}, but only if the directory holds {@code expected} (the revision the
   * caller saw stay unchanged); otherwise {@link Reload.Status#SUPERSEDED} without compiling.
   * A null {@code expected} accepts any revision.
   */
  public synchronized Reload reload(String expected) {
    PolicyFiles files;
    try {
      files = PolicyFiles.read(directory);
    } catch (IOException | RuntimeException e) {
      CompileIssue issue = new CompileIssue("", 0, 0, CompileIssue.Severity.ERROR,
          "cannot read policy directory " + directory + ": " + e.getMessage());
      CompileResult result = new CompileResult(Optional.empty(), List.of(issue));
      lastFailure.set(new ReloadFailure(null, result.issues(), issue.message(), Optional.empty()));
      return new Reload(Reload.Status.FAILED, null, result);
    }
    String revision = files.revision();
    if (expected != null && !expected.equals(revision)) {
      return new Reload(Reload.Status.SUPERSEDED, revision, new CompileResult(Optional.empty(), List.of()));
    }
    PolicySet current = active.get();
    if (current != null && current.revision().equals(revision)) {
      lastFailure.set(null);
      return new Reload(Reload.Status.UNCHANGED, revision, new CompileResult(Optional.of(current), List.of()));
    }
    Compiled compiled = compile(files);
    if (!revision.equals(currentRevision())) {
      // A writer was still at work: neither this set nor its errors are what the directory holds.
      return new Reload(Reload.Status.SUPERSEDED, revision, compiled.result());
    }
    return activateCompiled(revision, compiled);
  }

  /**
   * Compiles a set that comes from elsewhere than the directory (the database that replicas share)
   * and activates it if it compiles, as {@link #reload()} does with the directory's: a set that
   * does not compile is recorded as {@link #lastReloadFailure()} and the active set kept. A set of
   * the active revision is {@link Reload.Status#UNCHANGED}.
   */
  public synchronized Reload activate(PolicyFiles files) {
    String revision = files.revision();
    PolicySet current = active.get();
    if (current != null && current.revision().equals(revision)) {
      lastFailure.set(null);
      return new Reload(Reload.Status.UNCHANGED, revision, new CompileResult(Optional.of(current), List.of()));
    }
    return activateCompiled(revision, compile(files));
  }

  /**
   * Records that the set of {@code revision} could not even be read to be compiled (its files are
   * not what the revision names), as a failed reload: the active set is kept.
   */
  public synchronized void refuse(String revision, String message) {
    CompileIssue issue = new CompileIssue("", 0, 0, CompileIssue.Severity.ERROR, message);
    lastFailure.set(new ReloadFailure(revision, List.of(issue), issue.message(), Optional.empty()));
  }

  private Reload activateCompiled(String revision, Compiled compiled) {
    CompileResult result = compiled.result();
    if (result.succeeded()) {
      active.set(result.policySet().orElseThrow());
      lastFailure.set(null);
      return new Reload(Reload.Status.ACTIVATED, revision, result);
    }
    String first = result.errors().isEmpty() ? "compile failed" : result.errors().get(0).describe();
    lastFailure.set(new ReloadFailure(revision, result.issues(), first, compiled.thrown()));
    return new Reload(Reload.Status.FAILED, revision, result);
  }

  /**
   * Compiles a candidate set without activating it. A compiler that throws gives a failed result
   * whose one error says so (the detail is logged), never an exception, except for {@link #fatal}
   * errors of the JVM itself.
   */
  public CompileResult compileCandidate(PolicyFiles files) {
    return compile(files).result();
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

  /** The revision the directory holds now, or null when it cannot be read. */
  private String currentRevision() {
    try {
      return PolicyFiles.read(directory).revision();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private Compiled compile(PolicyFiles files) {
    try {
      CompileResult result = compiler.compile(files);
      return new Compiled(Objects.requireNonNull(result, "the compiler returned no result"), Optional.empty());
    } catch (Throwable e) {
      if (fatal(e)) {
        throw (VirtualMachineError) e;
      }
      return new Compiled(crashed(files, e), Optional.of(e));
    }
  }

  /**
   * Whether {@code e} says the JVM is failing rather than that the compiler failed on this set.
   *
   * <p>A {@link StackOverflowError} is not: the compiling thread's own recursion over the input
   * raised it, the stack is unwound by the time it is caught, monitors are released, and the same
   * set overflows the same way again, so it is a property of the set, like a syntax error. An
   * {@link OutOfMemoryError}, {@link InternalError} or {@link UnknownError} is: it may come from
   * another thread's load, the same set may compile on the next try, and the JVM may be left
   * unable to continue, so recording it as "this set does not compile" would be a false statement
   * about the set. Those propagate; whoever runs the compile decides whether to retry or stop.
   */
  public static boolean fatal(Throwable e) {
    return e instanceof VirtualMachineError && !(e instanceof StackOverflowError);
  }

  private static CompileResult crashed(PolicyFiles files, Throwable e) {
    String message;
    if (e instanceof StackOverflowError) {
      StackTraceElement[] stack = e.getStackTrace();
      LOG.error("compiling policy set {} ran out of stack (at {})", files.revision(),
          stack.length == 0 ? "an unknown frame" : stack[0]);
      message = "the compiler ran out of stack on this policy set: an expression is nested too deeply";
    } else {
      LOG.error("compiling policy set {} failed inside the compiler", files.revision(), e);
      message = "the compiler failed on this policy set with an internal error; the detail is in the server log";
    }
    CompileIssue issue = new CompileIssue("", 0, 0, CompileIssue.Severity.ERROR, message);
    return new CompileResult(Optional.empty(), List.of(issue));
  }
}
