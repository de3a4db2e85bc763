package dev.gatehouse.rules.testing;

import dev.gatehouse.rules.PolicySet;
import java.util.List;

/** Runs policy test cases against a compiled policy set. */
public final class PolicyTestRunner {

  private final PolicySet policySet;

  /** A runner for {@code policySet}. */
  public PolicyTestRunner(PolicySet policySet) {
    this.policySet = policySet;
  }

  /** Runs one case. */
  public PolicyTestResult run(PolicyTestCase testCase) {
    return PolicyTestResult.of(testCase, policySet.evaluate(testCase.request()));
  }

  /** Runs every case, in order. */
  public List<PolicyTestResult> runAll(List<PolicyTestCase> cases) {
    return cases.stream().map(this::run).toList();
  }
}
