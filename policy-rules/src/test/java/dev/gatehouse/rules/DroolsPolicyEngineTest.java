package dev.gatehouse.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.model.CheckStatus;
import dev.gatehouse.model.Decision;
import dev.gatehouse.model.DecisionRequest;
import dev.gatehouse.model.Facts;
import dev.gatehouse.model.Outcome;
import dev.gatehouse.model.Severity;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DroolsPolicyEngineTest {

  static final String DENIED = """
      {'gate': 'execute', 'subject': 'I-1', 'at': '2026-06-02T10:00:00Z', 'actor': 'cto-harness',
       'facts': {'issues': [{'id': 'I-1', 'type': 'HITL', 'status': 'candidate'},
                            {'id': 'I-2', 'type': 'AFK', 'blockedBy': ['I-1']}, {'id': 'I-3', 'type': 'AFK', 'blockedBy': ['I-1']}],
                 'approvals': [{'id': 'A-1', 'issue': 'I-1', 'approver': 'JP', 'scope': 'execute',
                                'recordedAt': '2026-06-02T10:00:01Z'}]}}
      """;

  static PolicySet basic;

  @BeforeAll
  static void compile() throws Exception {
    basic = TestPolicies.set("basic");
  }

  @Test
  void denyCarriesCodeMessageRuleAndFacts() throws Exception {
    Decision d = basic.evaluate(TestPolicies.request(DENIED));

    assertThat(d.outcome()).isEqualTo(Outcome.DENY);
    assertThat(d.reasons()).filteredOn(r -> r.severity() == Severity.DENY).singleElement().satisfies(r -> {
      assertThat(r.code()).isEqualTo("approval-missing");
      assertThat(r.message()).isEqualTo("I-1 has no approval recorded at or before 2026-06-02T10:00:00Z");
      assertThat(r.rule()).isEqualTo("approval must be recorded");
      assertThat(r.facts()).containsExactly("request:execute", "issue:I-1");
    });
    assertThat(d.policy().revision()).isEqualTo(basic.revision());
    assertThat(d.policy().files()).isEqualTo(1);
  }

  @Test
  void aSetThatTakesTooLongToCompileIsALocatedErrorNotAWait() throws Exception {
    PolicyFiles files = PolicyFiles.read(Path.of(System.getProperty("gatehouse.policies", "../policies")));

    CompileResult result = new dev.gatehouse.rules.drools.DroolsPolicyCompiler(EvaluationLimits.DEFAULT, Duration.ofMillis(1))
        .compile(files);

    // The error is located at the largest file of the set, the likeliest place to look.
    String largest = files.files().entrySet().stream()
        .max(java.util.Comparator.comparingInt(e -> e.getValue().length)).orElseThrow().getKey();
    assertThat(largest).isEqualTo("governance.dsl");
    assertThat(result.succeeded()).isFalse();
    assertThat(result.errors()).singleElement().satisfies(issue -> {
      assertThat(issue.file()).isEqualTo(largest);
      assertThat(issue.message()).startsWith("the policy set did not compile within");
    });
  }

  @Test
  void aMessagePlaceholderReadsRecordFieldsOfTheFactModelOnly() throws Exception {
    String drl = """
        package gatehouse.placeholders;
        import dev.gatehouse.model.*;
        import function dev.gatehouse.rules.drools.RuleActions.deny;
        rule "placeholders" @gate("execute") @code("x")
        when
          $request : Request()
          $issue : Issue( id == $request.subject )
        then
          deny(kcontext, "[issue.status] [request.gate] [issue.getClass] [issue.hashCode] [issue.ref] [request.nothing]");
        end
        """;
    PolicySet set = new dev.gatehouse.rules.drools.DroolsPolicyCompiler(EvaluationLimits.DEFAULT)
        .compile(PolicyFiles.of(Map.of("p.drl", drl.getBytes(StandardCharsets.UTF_8)))).policySet().orElseThrow();

    Decision d = set.evaluate(TestPolicies.request(DENIED));

    assertThat(d.reasons()).extracting(r -> r.message())
        .containsExactly("candidate execute [getClass?] [hashCode?] [ref?] [nothing?]");
  }

  @Test
  void aRemedyIsRenderedWithTheMessagesPlaceholdersAndAbsentWhenTheRuleGivesNone() throws Exception {
    String drl = """
        package gatehouse.remedies;
        import dev.gatehouse.model.*;
        import function dev.gatehouse.rules.drools.RuleActions.deny;
        rule "approval" @gate("execute") @code("approval-missing") @remedy("record an approval of [issue] by [request.at]")
        when
          $request : Request()
          $issue : Issue( id == $request.subject )
        then
          deny(kcontext, "no approval");
        end
        rule "no remedy" @gate("execute") @code("other")
        when
          Request()
        then
          deny(kcontext, "other");
        end
        """;
    PolicySet set = new dev.gatehouse.rules.drools.DroolsPolicyCompiler(EvaluationLimits.DEFAULT)
        .compile(PolicyFiles.of(Map.of("p.drl", drl.getBytes(StandardCharsets.UTF_8)))).policySet().orElseThrow();

    Decision d = set.evaluate(TestPolicies.request(DENIED));

    assertThat(d.reasons()).extracting(r -> r.code() + ": " + r.remedy()).containsExactlyInAnyOrder(
        "approval-missing: record an approval of I-1 by 2026-06-02T10:00:00Z", "other: null");
    assertThat(set.rules()).extracting(RuleInfo::remedy)
        .containsExactlyInAnyOrder("record an approval of [issue] by [request.at]", null);
  }

  @Test
  void checksListEveryRuleOfTheGateWithItsStatus() throws Exception {
    Decision d = basic.evaluate(TestPolicies.request(DENIED));

    assertThat(d.checks()).extracting(c -> c.rule() + "=" + c.status()).containsExactly(
        "issue must be known=" + CheckStatus.PASSED,
        "approval must be recorded=" + CheckStatus.FAILED,
        "each blocker is named=" + CheckStatus.WARNED);
  }

  @Test
  void warningsDoNotDenyAndAnApprovalAtExactlyAtCounts() throws Exception {
    Decision d = basic.evaluate(TestPolicies.request(DENIED.replace("10:00:01Z", "10:00:00Z")));

    assertThat(d.outcome()).isEqualTo(Outcome.ALLOW);
    assertThat(d.reasons()).extracting(r -> r.code()).containsExactly("blocker-noted", "blocker-noted");
  }

  @Test
  void traceNamesRuleFileLineAndFactsInFiringOrder() throws Exception {
    Decision d = basic.evaluate(TestPolicies.request(DENIED));

    assertThat(d.trace()).extracting(s -> s.seq() + " " + s.rule() + " " + s.file() + ":" + s.line() + " " + s.facts())
        .containsExactly(
            "1 approval must be recorded basic.drl:16 [request:execute, issue:I-1]",
            "2 each blocker is named basic.drl:26 [request:execute, issue:I-1, issue:I-2]",
            "3 each blocker is named basic.drl:26 [request:execute, issue:I-1, issue:I-3]");
  }

  @Test
  void rulesKeepTheirTextAsWritten() {
    RuleInfo approval = basic.rules().stream().filter(r -> r.name().equals("approval must be recorded")).findFirst().orElseThrow();

    assertThat(approval.source()).startsWith("rule \"approval must be recorded\"\n").endsWith("\nend\n")
        .contains("not Approval( issue == $issue.id, recordedAt <= $request.at )");
    assertThat(approval.description()).isEqualTo("an approval is recorded at or before the request");
    assertThat(approval.gates()).containsExactly("execute");
  }

  @Test
  void sameRequestGivesSameDecisionApartFromIdAndDuration() throws Exception {
    DecisionRequest request = TestPolicies.request(DENIED);
    Decision first = basic.evaluate(request);
    Decision second = basic.evaluate(request);

    assertThat(second.decisionId()).isNotEqualTo(first.decisionId());
    assertThat(second.identified(first.decisionId(), null))
        .usingRecursiveComparison().ignoringFields("durationMicros").isEqualTo(first);
  }

  @Test
  void traceDoesNotDependOnTheOrderFactsWereGiven() throws Exception {
    DecisionRequest request = TestPolicies.request(DENIED);
    List<dev.gatehouse.model.Issue> issues = new ArrayList<>(request.facts().issues());
    Collections.reverse(issues);
    Facts reversed = new Facts(issues, null, null, request.facts().approvals(), null, null, null);

    Decision original = basic.evaluate(request);
    Decision shuffled = basic.evaluate(request.withFacts(reversed));

    assertThat(shuffled.trace()).isEqualTo(original.trace());
    assertThat(shuffled.reasons()).isEqualTo(original.reasons());
  }

  @Test
  void unknownGateDeniesWithNoPolicy() throws Exception {
    Decision d = basic.evaluate(TestPolicies.request(DENIED.replace("'gate': 'execute'", "'gate': 'deploy'")));

    assertThat(d.outcome()).isEqualTo(Outcome.DENY);
    assertThat(d.denyCodes()).containsExactly("no-policy");
    assertThat(d.reasons().get(0).message()).contains("'deploy'").contains("execute, merge");
    assertThat(d.checks()).isEmpty();
    assertThat(d.trace()).isEmpty();
  }

  @Test
  void aGateWithNoFiringRuleAllows() throws Exception {
    Decision d = basic.evaluate(TestPolicies.request(DENIED.replace("'gate': 'execute'", "'gate': 'merge'")));

    assertThat(d.outcome()).isEqualTo(Outcome.ALLOW);
    assertThat(d.checks()).extracting(c -> c.status()).containsExactly(CheckStatus.PASSED);
  }

  @Test
  void aRuleThatThrowsDeniesWithEvaluationError() throws Exception {
    Decision d = TestPolicies.set("throws").evaluate(TestPolicies.request(DENIED));

    assertThat(d.outcome()).isEqualTo(Outcome.DENY);
    assertThat(d.denyCodes()).containsExactly("evaluation-error");
    assertThat(d.reasons().get(0).message()).startsWith("rule 'divides by zero' failed:").contains("by zero");
  }

  @Test
  void aRuleThatReTriggersItselfStopsAtTheFiringBound() throws Exception {
    PolicySet loop = TestPolicies.compile("loop", new EvaluationLimits(500, Duration.ofSeconds(30)))
        .policySet().orElseThrow();

    Decision d = loop.evaluate(TestPolicies.request(DENIED));

    assertThat(d.outcome()).isEqualTo(Outcome.DENY);
    assertThat(d.denyCodes()).containsExactly("evaluation-error");
    assertThat(d.reasons().get(0).message())
        .isEqualTo("evaluation stopped after 500 rule firings: rule 'keeps re-triggering itself' keeps re-triggering");
    assertThat(d.trace()).hasSize(501);
  }

  @Test
  void sessionsReusedAfterAnErrorOrAHaltStartClean() throws Exception {
    PolicySet loop = TestPolicies.compile("loop", new EvaluationLimits(50, Duration.ofSeconds(30)))
        .policySet().orElseThrow();
    PolicySet throwing = TestPolicies.set("throws");

    for (int i = 0; i < 20; i++) {
      assertThat(loop.evaluate(TestPolicies.request(DENIED)).trace()).hasSize(51);
      assertThat(throwing.evaluate(TestPolicies.request(DENIED)).trace()).isEmpty();
    }
    for (int i = 0; i < 20; i++) {
      Decision denied = basic.evaluate(TestPolicies.request(DENIED));
      Decision allowed = basic.evaluate(TestPolicies.request(DENIED.replace("10:00:01Z", "10:00:00Z")));
      assertThat(denied.denyCodes()).containsExactly("approval-missing");
      assertThat(allowed.outcome()).isEqualTo(Outcome.ALLOW);
      assertThat(allowed.trace()).hasSize(2);
    }
  }

  @Test
  void aSlowLoopStopsAtTheWallTimeBound() throws Exception {
    PolicySet slow = TestPolicies.compile("slow", new EvaluationLimits(Integer.MAX_VALUE - 1, Duration.ofMillis(100)))
        .policySet().orElseThrow();

    Decision d = slow.evaluate(TestPolicies.request(DENIED));

    assertThat(d.outcome()).isEqualTo(Outcome.DENY);
    assertThat(d.denyCodes()).containsExactly("evaluation-error");
    assertThat(d.reasons()).filteredOn(r -> r.code().equals("evaluation-error")).singleElement()
        .satisfies(r -> assertThat(r.message()).startsWith("evaluation stopped after 100 ms"));
  }

  @Test
  void compileErrorsComeBackAsDataSortedWithFileLineAndColumn() throws Exception {
    CompileResult result = TestPolicies.compile("broken", EvaluationLimits.DEFAULT);

    assertThat(result.succeeded()).isFalse();
    assertThat(result.errors()).extracting(CompileIssue::file).contains("a.drl", "b.dslr");
    assertThat(result.errors()).isSorted();
    CompileIssue paren = result.errors().stream().filter(i -> i.file().equals("a.drl")).findFirst().orElseThrow();
    assertThat(paren.line()).isEqualTo(9);
    assertThat(paren.column()).isPositive();
    assertThat(result.errors()).anySatisfy(i -> {
      assertThat(i.file()).isEqualTo("b.dslr");
      assertThat(i.message()).isEqualTo("Unable to expand: there is a sentence nobody mapped");
    });
    assertThat(paren.describe()).isEqualTo("a.drl:9:1: mismatched input 'then' in rule \"missing paren\"");
  }

  @Test
  void revisionIsSha256OverSortedPathsAndContents() throws Exception {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("b.drl", "rule b".getBytes(StandardCharsets.UTF_8));
    files.put("a/x.dsl", "dsl".getBytes(StandardCharsets.UTF_8));
    files.put("notes.txt", "ignored".getBytes(StandardCharsets.UTF_8));

    PolicyFiles policy = PolicyFiles.of(files);

    // Golden: logged decisions name revisions, so the hash of a set must never change meaning.
    // sha256 over "a/x.dsl\0dsl\0b.drl\0rule b\0" (paths sorted, each path and content ended by NUL).
    assertThat(policy.revision()).isEqualTo("sha256:2232b932ea2f7b022649736c2c9683a2389ce3bdb76b7cc7ed99bec42eff0824");
    assertThat(policy.files()).containsOnlyKeys("a/x.dsl", "b.drl");
    files.put("b.drl", "rule c".getBytes(StandardCharsets.UTF_8));
    assertThat(PolicyFiles.of(files).revision()).isNotEqualTo(policy.revision());
  }

  @Test
  void aFailedReloadNeverReplacesTheActiveSet(@TempDir Path dir) throws Exception {
    PolicyEngine engine = basicEngine(dir);
    String good = engine.active().orElseThrow().revision();

    Files.copy(TestPolicies.dir("broken").resolve("a.drl"), dir.resolve("a.drl"));
    PolicyEngine.Reload broken = engine.reload();

    assertThat(broken.status()).isEqualTo(PolicyEngine.Reload.Status.FAILED);
    assertThat(broken.compiled().succeeded()).isFalse();
    assertThat(engine.active().orElseThrow().revision()).isEqualTo(good);
    assertThat(engine.lastReloadFailure()).hasValueSatisfying(f -> assertThat(f.message()).startsWith("a.drl:9:"));
    assertThat(engine.active().orElseThrow().evaluate(TestPolicies.request(DENIED)).policy().revision()).isEqualTo(good);

    Files.delete(dir.resolve("a.drl"));
    assertThat(engine.reload().status()).isEqualTo(PolicyEngine.Reload.Status.UNCHANGED);
    assertThat(engine.lastReloadFailure()).isEmpty();
  }

  /** An engine on a copy of the basic set in {@code dir}, loaded. */
  static PolicyEngine basicEngine(Path dir) throws Exception {
    Files.copy(TestPolicies.dir("basic").resolve("basic.drl"), dir.resolve("basic.drl"));
    PolicyEngine engine = new PolicyEngine(
        new dev.gatehouse.rules.drools.DroolsPolicyCompiler(EvaluationLimits.DEFAULT), dir);
    assertThat(engine.reload().status()).isEqualTo(PolicyEngine.Reload.Status.ACTIVATED);
    return engine;
  }

  @Test
  void aReloadWithARuleTheSandboxRefusesKeepsTheActiveSet(@TempDir Path dir) throws Exception {
    PolicyEngine engine = basicEngine(dir);
    String good = engine.active().orElseThrow().revision();

    Files.writeString(dir.resolve("exit.drl"), """
        package gatehouse.test.basic;
        import dev.gatehouse.model.*;
        rule "exit" @gate("execute") @code("x") @description("x")
        when
          Request()
        then
          System.exit(1);
        end
        """);
    PolicyEngine.Reload refused = engine.reload();

    assertThat(refused.status()).isEqualTo(PolicyEngine.Reload.Status.FAILED);
    assertThat(engine.active().orElseThrow().revision()).isEqualTo(good);
    assertThat(engine.lastReloadFailure()).hasValueSatisfying(f ->
        assertThat(f.message()).startsWith("exit.drl:7:3: 'java.lang.System' is not allowed in rules"));
  }

  @Test
  void rulesReadTheRequestTimeNotTheClock() throws Exception {
    DecisionRequest past = TestPolicies.request(DENIED.replace("2026-06-02T10:00:00Z", "2026-06-02T10:00:01Z"));

    assertThat(basic.evaluate(past).outcome()).isEqualTo(Outcome.ALLOW);
    assertThat(basic.evaluate(TestPolicies.request(DENIED)).outcome()).isEqualTo(Outcome.DENY);
  }
}
