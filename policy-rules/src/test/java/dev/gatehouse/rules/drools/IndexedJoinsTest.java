package dev.gatehouse.rules.drools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.rules.EvaluationLimits;
import dev.gatehouse.rules.PolicyFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.drools.core.common.BaseNode;
import org.drools.core.impl.InternalRuleBase;
import org.drools.core.reteoo.BetaNode;
import org.drools.core.reteoo.LeftTupleSource;
import org.drools.core.reteoo.ObjectSource;
import org.drools.core.reteoo.ObjectTypeNode;
import org.junit.jupiter.api.Test;

/**
 * Every join of the bundled policies on a fact's issue is indexed: an unindexed one compares every
 * fact of that kind in the workspace on every decision (a 500-issue board took seconds). Drools
 * 10.2 does not index {@code issue == $issue.id}; governance.dsl writes {@code this.issue}.
 */
class IndexedJoinsTest {

  @Test
  void everyJoinOnAFactsIssueIsIndexed() throws Exception {
    DroolsPolicySet set = (DroolsPolicySet) new DroolsPolicyCompiler(EvaluationLimits.DEFAULT)
        .compile(PolicyFiles.read(Path.of(System.getProperty("gatehouse.policies", "../policies"))))
        .policySet().orElseThrow();
    List<String> joins = new ArrayList<>();
    List<String> unindexed = new ArrayList<>();
    for (String gate : set.gates()) {
      Set<BaseNode> seen = new HashSet<>();
      for (ObjectTypeNode type : ((InternalRuleBase) set.base(gate)).getRete().getObjectTypeNodes()) {
        walk(type, seen, node -> {
          String constraints = Arrays.toString(node.getRawConstraints().getConstraints());
          if (constraints.contains("issue == $issue.id")) {
            joins.add(gate + " " + constraints);
            if (!node.getRawConstraints().isIndexed()) {
              unindexed.add(gate + " " + node + " " + constraints);
            }
          }
        });
      }
    }

    assertThat(joins).as("joins on a fact's issue").hasSizeGreaterThan(20);
    assertThat(unindexed).isEmpty();
  }

  private static void walk(BaseNode node, Set<BaseNode> seen, java.util.function.Consumer<BetaNode> visit) {
    if (!seen.add(node)) {
      return;
    }
    if (node instanceof BetaNode beta) {
      visit.accept(beta);
    }
    if (node instanceof ObjectSource source) {
      for (var sink : source.getObjectSinkPropagator().getSinks()) {
        walk((BaseNode) sink, seen, visit);
      }
    }
    if (node instanceof LeftTupleSource source) {
      for (var sink : source.getSinkPropagator().getSinks()) {
        walk((BaseNode) sink, seen, visit);
      }
    }
  }
}
