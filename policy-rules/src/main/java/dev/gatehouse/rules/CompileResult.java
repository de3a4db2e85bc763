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

  public CompileResult {
    issues = issues.stream().sorted().toList();
  }

  /** Whether the set compiled without errors. */
  public boolean succeeded() {
    return policySet.isPresent();
  }

  /** The errors only. */
  public List<CompileIssue> errors() {
    return issues.stream().filter(i -> i.severity() == CompileIssue.Severity.ERROR).toList();
  }
}
