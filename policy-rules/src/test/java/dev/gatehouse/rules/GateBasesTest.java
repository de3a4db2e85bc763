package dev.gatehouse.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.model.Decision;
import dev.gatehouse.model.Outcome;
import dev.gatehouse.rules.drools.DroolsPolicyCompiler;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each gate's base is the whole set with the other gates' rules removed. Removing a rule that
 * shared a join with a kept one used to leave a stale segment behind (a Drools bug), and the
 * first decision on that gate failed with "Index 1 out of bounds for length 1".
 */
class GateBasesTest {

  static final String REQUEST = """
      {'gate': 'merge', 'subject': 'I-1', 'at': '2026-06-02T10:00:00Z', 'actor': 'cto-harness',
       'facts': {'issues': [{'id': 'I-1', 'type': 'HITL', 'status': 'candidate'}]}}
      """;

  @Test
  void theFirstDecisionOnAGateWhoseSharedJoinLostItsOtherRuleIsDecided() throws Exception {
    PolicySet set = TestPolicies.set("shared-prefix");

    Decision first = set.evaluate(TestPolicies.request(REQUEST));

    assertThat(first.denyCodes()).containsExactly("evidence-missing");
    assertThat(set.evaluate(TestPolicies.request(REQUEST.replace("'merge'", "'accept'"))).outcome())
        .isEqualTo(Outcome.ALLOW);
  }

  @Test
  void theBundledPoliciesWithMergeCutToItsFirstTwoRulesDecideEveryGateFromTheFirstDecision(@TempDir Path dir)
      throws Exception {
    Path policies = Path.of(System.getProperty("gatehouse.policies", "../policies"));
    for (String file : new String[] {"governance.dsl", "execute.dslr", "accept.dslr", "validate.dslr"}) {
      Files.copy(policies.resolve(file), dir.resolve(file));
    }
    String merge = Files.readString(policies.resolve("merge.dslr"));
    int third = merge.indexOf("rule \"merging needs no operator rejection after the last acceptance\"");
    assertThat(third).as("merge.dslr's third rule").isPositive();
    Files.writeString(dir.resolve("merge.dslr"), merge.substring(0, third));
    PolicySet set = new DroolsPolicyCompiler(EvaluationLimits.DEFAULT).compile(PolicyFiles.read(dir))
        .policySet().orElseThrow();

    for (String gate : set.gates()) {
      Decision first = set.evaluate(TestPolicies.request(REQUEST.replace("'merge'", "'" + gate + "'")));
      assertThat(first.denyCodes()).as(gate).isNotEmpty().doesNotContain("evaluation-error");
    }
    assertThat(set.evaluate(TestPolicies.request(REQUEST)).denyCodes()).containsExactly("acceptance-missing");
  }
}
