package dev.gatehouse.rules.lint;

import dev.gatehouse.rules.drools.DroolsPolicyCompiler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.model.json.InvalidInputException;
import dev.gatehouse.rules.CompileIssue;
import dev.gatehouse.rules.EvaluationLimits;
import dev.gatehouse.rules.PolicyFiles;
import dev.gatehouse.rules.PolicySet;
import dev.gatehouse.rules.testing.PolicyTestCase;
import dev.gatehouse.rules.testing.PolicyTestLoader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyLintTest {

  static final String DSL = """
      [when]a request is made=$request : Request()
      [when]nothing at all=
      [when]a sentence nobody uses=Request()
      [then]deny "{m}"=deny(kcontext, "{m}");
      """;

  static final String DSLR = """
      package gatehouse.lint;
      import dev.gatehouse.model.*;
      import function dev.gatehouse.rules.drools.RuleActions.deny;

      rule "no metadata"
      when
        a request is made
        nothing at all
      then
        deny "x"
      end

      rule "tested" @gate("execute") @code("tested") @description("one meaning")
        @remedy("ask about [request.subject] again")
      when
        a request is made
      then
        deny "y"
      end

      rule "same code" @gate("execute") @code("tested") @description("another meaning") @remedy("do z")
      when
        a request is made
      then
        deny "z"
      end
      """;

  // Rules that deny and warn without a remedy, and remedies and messages that name what the rule
  // cannot show; a rule that raises nothing needs no remedy.
  static final String REMEDIES = """
      package gatehouse.remedies;
      import dev.gatehouse.model.*;
      import function dev.gatehouse.rules.drools.RuleActions.deny;
      import function dev.gatehouse.rules.drools.RuleActions.warn;

      rule "denies without remedy" @gate("execute") @code("tested") @description("one meaning")
      when
        $request : Request()
      then
        deny(kcontext, "no");
      end

      rule "warns with a blank remedy" @gate("execute") @code("tested") @description("one meaning") @remedy(" ")
      when
        Request()
      then
        warn(kcontext, "maybe");
      end

      rule "remedy names what it cannot show" @gate("execute") @code("tested") @description("one meaning")
        @remedy("validate [blokcer] first, then [issue.stauts], [issue.status], [blocker.status], [request.at]")
      when
        $request : Request()
        $issue : Issue( id == $request.subject )
        $blocker : String() from $issue.blockedBy
        not Approval( $missing : id )
      then
        deny(kcontext, "[issue] waits for [blocker] and [missing]");
      end

      rule "raises nothing" @gate("execute") @code("tested") @description("one meaning")
      when
        Request()
      then
      end
      """;

  static PolicySet set() {
    return new DroolsPolicyCompiler(EvaluationLimits.DEFAULT).compile(PolicyFiles.of(Map.of(
        "lint.dsl", DSL.getBytes(StandardCharsets.UTF_8),
        "lint.dslr", DSLR.getBytes(StandardCharsets.UTF_8)))).policySet().orElseThrow();
  }

  static List<PolicyTestCase> tests() throws InvalidInputException {
    return new PolicyTestLoader().loadSuite("tests/lint.yaml", """
        defaults: {gate: execute, subject: I-1, at: "2026-06-02T10:00:00Z", actor: a}
        cases:
          - name: denies
            expect: {outcome: DENY, deny: [tested]}
        """.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void findsWhatAnAuthorForgotAsLocatedWarnings() throws Exception {
    List<CompileIssue> findings = new PolicyLint(false).check(set(), tests());

    assertThat(findings).extracting(CompileIssue::describe).containsExactly(
        "lint.dsl:3:1: warning: sentence 'a sentence nobody uses' is used by no rule",
        "lint.dslr:5:1: warning: rule 'no metadata' has no @gate, @code, @description, @remedy",
        "lint.dslr:8:1: warning: 'nothing at all' expands to nothing",
        "lint.dslr:21:1: warning: code 'tested' of rule 'same code' is also the code of rule 'tested' with another description");
  }

  @Test
  void findsADenyOrWarnRuleWithoutRemedyAndPlaceholdersARuleCannotShow() throws Exception {
    PolicySet set = new DroolsPolicyCompiler(EvaluationLimits.DEFAULT).compile(PolicyFiles.of(Map.of(
        "remedies.drl", REMEDIES.getBytes(StandardCharsets.UTF_8)))).policySet().orElseThrow();

    List<CompileIssue> findings = new PolicyLint(false).check(set, tests());

    assertThat(findings).extracting(CompileIssue::describe).containsExactly(
        "remedies.drl:6:1: warning: rule 'denies without remedy' has no @remedy",
        "remedies.drl:13:1: warning: rule 'warns with a blank remedy' has no @remedy",
        "remedies.drl:21:1: warning: rule 'remedy names what it cannot show' cannot show [blocker.status] in its remedy: "
            + "blocker is a String, which has no field 'status' to show",
        "remedies.drl:21:1: warning: rule 'remedy names what it cannot show' cannot show [blokcer] in its remedy: "
            + "no condition binds 'blokcer' (it binds blocker, issue, request)",
        "remedies.drl:21:1: warning: rule 'remedy names what it cannot show' cannot show [issue.stauts] in its remedy: "
            + "issue is an Issue, which has no field 'stauts' to show",
        "remedies.drl:28:1: warning: rule 'remedy names what it cannot show' cannot show [missing] in its message: "
            + "no condition binds 'missing' (it binds blocker, issue, request)");
  }

  @Test
  void strictMakesFindingsErrorsAndUntestedCodesAreFound() throws Exception {
    List<CompileIssue> findings = new PolicyLint(true).check(set(), List.of());

    assertThat(findings).allMatch(f -> f.severity() == CompileIssue.Severity.ERROR);
    assertThat(findings).extracting(CompileIssue::message)
        .contains("code 'tested' of rule 'tested' is expected by no policy test");
  }
}
