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
      when
        a request is made
      then
        deny "y"
      end

      rule "same code" @gate("execute") @code("tested") @description("another meaning")
      when
        a request is made
      then
        deny "z"
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
        "lint.dslr:5:1: warning: rule 'no metadata' has no @gate, @code, @description",
        "lint.dslr:8:1: warning: 'nothing at all' expands to nothing",
        "lint.dslr:20:1: warning: code 'tested' of rule 'same code' is also the code of rule 'tested' with another description");
  }

  @Test
  void strictMakesFindingsErrorsAndUntestedCodesAreFound() throws Exception {
    List<CompileIssue> findings = new PolicyLint(true).check(set(), List.of());

    assertThat(findings).allMatch(f -> f.severity() == CompileIssue.Severity.ERROR);
    assertThat(findings).extracting(CompileIssue::message)
        .contains("code 'tested' of rule 'tested' is expected by no policy test");
  }
}
