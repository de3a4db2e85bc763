package dev.gatehouse.rules.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.model.Outcome;
import dev.gatehouse.model.json.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PolicyTestLoaderTest {

  static final String SUITE = """
      suite: execute gate
      defaults: {gate: execute, subject: DEMO-1, at: "2026-06-02T10:00:00Z"}
      facts:
        issues:
          - {id: DEMO-1, type: AFK, status: ready}
      cases:
        - name: allowed
          expect: {outcome: ALLOW}
        - name: denied without the issue
          remove: [issue:DEMO-1]
          request: {actor: cto-harness}
          expect:
            outcome: deny
            deny: [issue-missing]
      """;

  final PolicyTestLoader loader = new PolicyTestLoader();

  @Test
  void readsASuite() throws Exception {
    List<PolicyTestCase> cases = loader.loadSuite("tests/execute.yaml", bytes(SUITE));

    assertThat(cases).extracting(PolicyTestCase::name).containsExactly("allowed", "denied without the issue");
    assertThat(cases.get(1).outcome()).isEqualTo(Outcome.DENY);
    assertThat(cases.get(1).deny()).containsExactly("issue-missing");
    assertThat(cases.get(1).request().facts().size()).isZero();
    assertThat(cases.get(1).request().actor()).isEqualTo("cto-harness");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      unknown key in a case     | '    expect: {outcome: ALLOW}'       | '    expect: {outcome: ALLOW}\n    colour: red' | t.yaml:9:5: cases[0].colour: unknown key 'colour'; expected one of expect, facts, name, remove, request
      unknown key in expect     | '{outcome: ALLOW}'                    | '{outcome: ALLOW, dney: [x]}'                 | t.yaml:8:30: cases[0].expect.dney: unknown key 'dney'; expected one of deny, outcome, warn
      unknown top-level key     | 'suite: execute gate'                 | 'suite: execute gate\ncase: []'               | t.yaml:2:1: case: unknown key 'case'; expected one of cases, defaults, facts, suite
      number for a case name    | 'name: allowed'                       | 'name: 7'                                     | t.yaml:7:5: cases[0].name: expected a string
      scalar for a list of codes| 'deny: [issue-missing]'              | 'deny: issue-missing'                         | t.yaml:14:7: cases[1].expect.deny: expected a list
      number in a list of codes | 'deny: [issue-missing]'              | 'deny: [issue-missing, 7]'                    | t.yaml:14:29: cases[1].expect.deny[1]: expected a string
      boolean for an outcome    | 'outcome: deny'                       | 'outcome: false'                              | t.yaml:13:7: cases[1].expect.outcome: expected ALLOW or DENY
      unknown field of a fact   | 'status: ready}'                      | 'status: ready, colour: red}'                 | t.yaml:5:46: facts.issues[0].colour: unknown field 'colour'; expected one of blockedBy, criteria,
      number for request text   | 'request: {actor: cto-harness}'       | 'request: {actor: 7}'                         | t.yaml:11:15: cases[1].request.actor: expected a string
      string for a fact boolean | 'request: {actor: cto-harness}'       | 'request: {runtimeDefaultActivation: "true"}' | t.yaml:11:15: cases[1].request.runtimeDefaultActivation: expected true or false
      duplicate key             | '    expect: {outcome: ALLOW}'       | '    expect: {outcome: ALLOW}\n    name: again' | t.yaml:9:9: malformed document: Duplicate field 'name'
      """)
  void refusesABadSuiteNamingFileLineAndPath(String name, String find, String replace, String message) {
    String suite = SUITE.replace(find, replace.replace("\\n", "\n"));
    assertThat(suite).as("the test's replacement applies").isNotEqualTo(SUITE);

    assertThatThrownBy(() -> loader.loadSuite("t.yaml", bytes(suite)))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.describe()).startsWith(message));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
