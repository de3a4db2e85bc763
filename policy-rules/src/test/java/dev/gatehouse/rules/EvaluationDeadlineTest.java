package dev.gatehouse.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.gatehouse.model.Contract;
import dev.gatehouse.model.Decision;
import dev.gatehouse.model.DecisionRequest;
import dev.gatehouse.model.FactKind;
import dev.gatehouse.model.Facts;
import dev.gatehouse.model.Outcome;
import dev.gatehouse.model.Run;
import dev.gatehouse.model.json.FactValidator;
import dev.gatehouse.rules.drools.DroolsPolicyCompiler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The wall-time bound reaches into rule conditions: the accept gate of the bundled policies matches
 * every touched path against every allowed glob while facts are inserted, where no rule fires and
 * the check between firings never runs.
 */
class EvaluationDeadlineTest {

  static final String ALLOWED = """
      {'gate': 'accept', 'subject': 'I-1', 'at': '2026-06-02T10:00:00Z', 'actor': 'cto-harness',
       'facts': {'issues': [{'id': 'I-1', 'type': 'AFK', 'status': 'candidate'}],
                 'contracts': [{'issue': 'I-1', 'repository': 'acme/widgets', 'allowedPaths': ['src/**']}],
                 'runs': [{'id': 'R-1', 'issue': 'I-1', 'via': 'cto-harness', 'runtimeDefaultActivation': false,
                           'firstMutationAt': '2026-06-01T10:00:00Z', 'touchedPaths': ['src/Main.java']}],
                 'evidence': [{'id': 'E-1', 'issue': 'I-1', 'kind': 'harness-artifact', 'passed': true,
                               'recordedAt': '2026-06-01T11:00:00Z'},
                              {'id': 'E-2', 'issue': 'I-1', 'kind': 'validator-run', 'passed': true,
                               'recordedAt': '2026-06-01T11:00:00Z'},
                              {'id': 'E-3', 'issue': 'I-1', 'kind': 'replay-path', 'passed': true,
                               'recordedAt': '2026-06-01T11:00:00Z'}]}}
      """;

  static PolicySet unbounded;
  static PolicySet bounded;

  @BeforeAll
  static void compile() throws Exception {
    PolicyFiles policies = PolicyFiles.read(Path.of(System.getProperty("gatehouse.policies", "../policies")));
    unbounded = new DroolsPolicyCompiler(EvaluationLimits.DEFAULT).compile(policies).policySet().orElseThrow();
    bounded = new DroolsPolicyCompiler(new EvaluationLimits(10_000, Duration.ofMillis(100)))
        .compile(policies).policySet().orElseThrow();
  }

  /**
   * ALLOWED with a contract of 1,000 globs that are as slow to match as globs can be (1024
   * characters, all states live to the end), then "**", and a run of {@code paths} paths of 1024
   * characters: every path is allowed, after 1,000 slow matches.
   */
  static DecisionRequest slowlyAllowed(int paths) throws Exception {
    DecisionRequest allowed = TestPolicies.request(ALLOWED);
    Contract contract = allowed.facts().contracts().get(0);
    List<String> globs = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      globs.add("**" + "a".repeat(FactValidator.MAX_PATH_LENGTH - 3) + (char) ('b' + i % 20));
    }
    globs.add("**");
    Run run = allowed.facts().runs().get(0);
    List<String> touched = IntStream.range(0, paths)
        .mapToObj(i -> "src/" + i + "/" + "a".repeat(FactValidator.MAX_PATH_LENGTH - 6 - String.valueOf(i).length()) + "z")
        .toList();
    Facts f = allowed.facts();
    Facts slow = f
        .with(FactKind.CONTRACTS, List.of(new Contract(contract.issue(), contract.repository(), globs,
            contract.forbiddenPaths(), contract.forbiddenActions(), contract.successCriteria(),
            contract.validationCommand(), contract.rollback(), null)))
        .with(FactKind.RUNS, List.of(new Run(run.id(), run.issue(), run.via(), false, run.firstMutationAt(), touched, null)));
    FactValidator.validate("facts", slow);
    return allowed.withFacts(slow);
  }

  @Test
  void aRequestThatIsSlowToMatchDeniesAtTheBoundInsteadOfAllowingLate() throws Exception {
    assertThat(unbounded.evaluate(slowlyAllowed(1)).outcome()).as("the same shape, small").isEqualTo(Outcome.ALLOW);
    // 10,000 paths x 1,000 globs: minutes of matching without the bound.
    DecisionRequest slow = slowlyAllowed(FactValidator.MAX_PATHS);

    Decision d = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> bounded.evaluate(slow));

    assertThat(d.outcome()).isEqualTo(Outcome.DENY);
    assertThat(d.denyCodes()).containsExactly("evaluation-error");
    assertThat(d.reasons()).singleElement().satisfies(r -> assertThat(r.message())
        .isEqualTo("evaluation stopped after 100 ms: the rules were still matching facts"));
    assertThat(d.durationMicros()).isLessThan(2_000_000);
    assertThat(bounded.evaluate(TestPolicies.request(ALLOWED)).outcome())
        .as("the pooled session decides the next request").isEqualTo(Outcome.ALLOW);
  }

  @Test
  void rulesCannotReachTheDeadline(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("lift.drl"), """
        package gatehouse.test.lift;
        import dev.gatehouse.model.*;
        rule "lifts its own bound" @gate("accept") @code("x") @description("x")
        when
          Request( dev.gatehouse.rules.EvaluationDeadline.start(Long.MAX_VALUE) != null )
        then
        end
        """);

    CompileResult result = new DroolsPolicyCompiler(EvaluationLimits.DEFAULT).compile(PolicyFiles.read(dir));

    assertThat(result.succeeded()).isFalse();
    assertThat(result.errors()).singleElement().satisfies(e ->
        assertThat(e.message()).contains("'dev.gatehouse.rules.EvaluationDeadline' is not allowed in rules"));
  }
}
