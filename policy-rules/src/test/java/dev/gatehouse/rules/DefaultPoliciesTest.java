package dev.gatehouse.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.rules.testing.PolicyTestCase;
import dev.gatehouse.rules.testing.PolicyTestLoader;
import dev.gatehouse.rules.testing.PolicyTestResult;
import dev.gatehouse.rules.testing.PolicyTestRunner;
import dev.gatehouse.rules.testing.RuleCoverage;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every case under the bundled policies/tests, as one JUnit test each: the cases `gatehouse test` runs. */
class DefaultPoliciesTest {

  static Path policies;
  static PolicySet set;

  @BeforeAll
  static void compile() throws Exception {
    policies = Path.of(System.getProperty("gatehouse.policies", "../policies"));
    CompileResult result = new dev.gatehouse.rules.drools.DroolsPolicyCompiler(EvaluationLimits.DEFAULT)
        .compile(PolicyFiles.read(policies));
    assertThat(result.errors()).as("the bundled policies compile").isEmpty();
    set = result.policySet().orElseThrow();
  }

  @TestFactory
  Stream<DynamicTest> bundledPolicyTests() throws Exception {
    List<PolicyTestCase> cases = new PolicyTestLoader().load(policies.resolve("tests"));
    assertThat(cases).as("policy test cases").hasSizeGreaterThanOrEqualTo(40);
    PolicyTestRunner runner = new PolicyTestRunner(set);
    return cases.stream().map(c -> DynamicTest.dynamicTest(c.displayName(), () -> {
      PolicyTestResult result = runner.run(c);
      assertThat(result.failures())
          .as("%s%nreasons: %s%ntrace: %s", c.displayName(), result.decision().reasons(), result.decision().trace())
          .isEmpty();
    }));
  }

  @Test
  void everyReasonTheCasesGiveCarriesARemedyWithEveryPlaceholderShown() throws Exception {
    List<PolicyTestCase> cases = new PolicyTestLoader().load(policies.resolve("tests"));

    List<PolicyTestResult> results = new PolicyTestRunner(set).runAll(cases);

    List<String> reasons = results.stream().flatMap(r -> r.decision().reasons().stream()
        .map(reason -> r.testCase().displayName() + ": " + reason.severity().jsonName() + " " + reason.code()
            + " (" + reason.rule() + ") -> " + reason.remedy())).toList();
    assertThat(reasons).as("reasons given by the bundled cases").hasSizeGreaterThan(200)
        .anyMatch(r -> r.contains(": deny ")).anyMatch(r -> r.contains(": warn "))
        .anyMatch(r -> r.contains("no-policy (gatehouse)"))
        .allSatisfy(r -> assertThat(r).doesNotEndWith("-> null").doesNotEndWith("-> ")
            .doesNotContain("?]").doesNotContainPattern("\\[[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?\\]"));
    assertThat(reasons).contains("execute.yaml › a HITL issue without an approval: deny approval-missing "
        + "(execution needs a recorded approval) -> record an approval of scope execute by JP or Hermes for CTO-WORK-049");
  }

  @Test
  void theBundledSetLintsCleanWhenStrictRemediesIncluded() throws Exception {
    List<PolicyTestCase> cases = new PolicyTestLoader().load(policies.resolve("tests"));

    assertThat(new dev.gatehouse.rules.lint.PolicyLint(true).check(set, cases))
        .extracting(CompileIssue::describe).isEmpty();
    assertThat(set.rules()).as("rules of the bundled set").hasSizeGreaterThanOrEqualTo(65)
        .allSatisfy(rule -> assertThat(rule.remedy()).as(rule.name()).isNotBlank());
  }

  @Test
  void everyRuleIsFiredByAtLeastOneCase() throws Exception {
    List<PolicyTestCase> cases = new PolicyTestLoader().load(policies.resolve("tests"));

    RuleCoverage coverage = RuleCoverage.of(set.rules(), new PolicyTestRunner(set).runAll(cases));

    assertThat(coverage.neverFired())
        .as("rules of the default policy set that no case under policies/tests fires (see ./gatehouse test --coverage)")
        .extracting(r -> r.file() + ":" + r.line() + " " + r.name())
        .isEmpty();
  }
}
