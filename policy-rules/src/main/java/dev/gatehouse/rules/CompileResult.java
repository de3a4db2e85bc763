package dev.gatehouse.rules;

import java.util.List;
import java.util.Optional;

/**
 * The result of compiling a policy set: the set, if it compiled, and every issue found, sorted by
 * file, line and column.
 *
 * @param policySet the compiled set, absent when any error was found
 * @param issues every error and warning, sorted
 */
public record CompileResult(Optional<PolicySet> policySet, List<CompileIssue> issues) {

  /** How the error of a compile that ran out of time begins. */
  public static final String OUT_OF_TIME = "the policy set did not compile within ";

  public CompileResult {
    issues = issues.stream().sorted().toList();
  }

  /** Whether the set compiled without errors. */
  public boolean succeeded() {
    return policySet.isPresent();
  }

  /**
   * Whether the compile failed for running out of time: that says as much about the machine's load
   * as about the files, so the same files are worth compiling again.
   */
  public boolean outOfTime() {
    return !succeeded() && errors().stream().anyMatch(e -> e.message().startsWith(OUT_OF_TIME));
  }

  /** The errors only. */
  public List<CompileIssue> errors() {
    return issues.stream().filter(i -> i.severity() == CompileIssue.Severity.ERROR).toList();
  }
}
