package dev.gatehouse.rules;

import dev.gatehouse.model.Decision;
import dev.gatehouse.model.DecisionRequest;
import dev.gatehouse.model.PolicyRef;
import java.util.List;
import java.util.SortedSet;

/**
 * A compiled, immutable policy set: prepared once, evaluated many times, safe to share between
 * threads.
 */
public interface PolicySet {

  /** The revision: {@code sha256:} over the rule files' sorted paths and contents. */
  String revision();

  /** The rule files it was compiled from. */
  PolicyFiles files();

  /** The gates it declares: every gate named by a rule's {@code @gate}. */
  SortedSet<String> gates();

  /** Every rule, by file and line. */
  List<RuleInfo> rules();

  /** The reference a decision carries. */
  default PolicyRef ref() {
    return new PolicyRef(revision(), files().size());
  }

  /**
   * Decides a request. Total: a rule that throws or passes the limits gives DENY
   * {@code evaluation-error}, an unknown gate gives DENY {@code no-policy}; this never throws for a
   * rule's fault.
   *
   * @param request the request, with {@code at} set
   */
  Decision evaluate(DecisionRequest request);
}
