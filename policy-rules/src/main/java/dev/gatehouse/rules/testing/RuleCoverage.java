package dev.gatehouse.rules.testing;

import dev.gatehouse.model.TraceStep;
import dev.gatehouse.rules.RuleInfo;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which rules the policy tests exercise: for each rule, how many cases fired it. Read from each
 * decision's trace, so a rule counts as covered only if it actually fired, not merely because its
 * gate was asked.
 *
 * @param casesFiring for each rule, in the policy set's order, the number of cases whose trace names it
 */
public record RuleCoverage(Map<RuleInfo, Integer> casesFiring) {

  public RuleCoverage {
    casesFiring = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(casesFiring));
  }

  /** The coverage of {@code rules} by {@code results}. */
  public static RuleCoverage of(List<RuleInfo> rules, List<PolicyTestResult> results) {
    Map<String, Integer> byName = new LinkedHashMap<>();
    for (PolicyTestResult result : results) {
      // A case counts once per rule, however often the rule fired in it.
      Set<String> fired = new HashSet<>();
      for (TraceStep step : result.decision().trace()) {
        fired.add(step.rule());
      }
      fired.forEach(rule -> byName.merge(rule, 1, Integer::sum));
    }
    Map<RuleInfo, Integer> coverage = new LinkedHashMap<>();
    rules.forEach(rule -> coverage.put(rule, byName.getOrDefault(rule.name(), 0)));
    return new RuleCoverage(coverage);
  }

  /** The rules no case fires, in the policy set's order. */
  public List<RuleInfo> neverFired() {
    return casesFiring.entrySet().stream().filter(e -> e.getValue() == 0).map(Map.Entry::getKey).toList();
  }
}
