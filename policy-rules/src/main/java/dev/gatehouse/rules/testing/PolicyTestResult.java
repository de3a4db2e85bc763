package dev.gatehouse.rules.testing;

import dev.gatehouse.model.Decision;
import dev.gatehouse.model.Severity;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The result of one policy test.
 *
 * @param testCase the case
 * @param decision what the policy set answered
 * @param failures what differed from the expectation; empty when the case passed
 */
public record PolicyTestResult(PolicyTestCase testCase, Decision decision, List<String> failures) {

  public PolicyTestResult {
    failures = List.copyOf(failures);
  }

  /** Whether the decision matched the expectation. */
  public boolean passed() {
    return failures.isEmpty();
  }

  /** Compares a decision with the case's expectation. */
  public static PolicyTestResult of(PolicyTestCase testCase, Decision decision) {
    List<String> failures = new java.util.ArrayList<>();
    if (decision.outcome() != testCase.outcome()) {
      failures.add("expected outcome " + testCase.outcome() + ", got " + decision.outcome());
    }
    compare("deny", testCase.deny(), codes(decision, Severity.DENY), failures);
    if (testCase.warn() != null) {
      compare("warn", testCase.warn(), codes(decision, Severity.WARN), failures);
    }
    return new PolicyTestResult(testCase, decision, failures);
  }

  private static Set<String> codes(Decision decision, Severity severity) {
    return decision.reasons().stream()
        .filter(r -> r.severity() == severity)
        .map(r -> r.code())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static void compare(String label, Set<String> expected, Set<String> actual, List<String> failures) {
    Set<String> missing = new TreeSet<>(expected);
    missing.removeAll(actual);
    Set<String> extra = new TreeSet<>(actual);
    extra.removeAll(expected);
    if (!missing.isEmpty() || !extra.isEmpty()) {
      failures.add("expected " + label + " codes " + new TreeSet<>(expected) + ", got " + actual
          + (missing.isEmpty() ? "" : "; missing " + missing)
          + (extra.isEmpty() ? "" : "; unexpected " + extra));
    }
  }
}
