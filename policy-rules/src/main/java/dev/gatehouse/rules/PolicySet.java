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

  /**
   * Decides a request whose own facts are added to {@code standing} facts (a workspace's): the
   * decision {@link #evaluate(DecisionRequest)} gives for the request carrying both, as of its
   * {@code at}.
   *
   * <p>A set may keep the standing facts resident in its sessions between decisions, and insert
   * only the request and its own facts each time; the decision is the same as a fresh session's,
   * trace included. It keeps sessions for one {@code standing} instance at a time: another instance
   * (a new workspace revision) builds new ones.
   *
   * @param request the request, with {@code at} set, carrying only its own facts
   * @param standing the facts behind it, whatever their dates: those dated after {@code at} are set
   *     aside as {@link AsOf} sets aside a request's
   */
  Decision evaluate(DecisionRequest request, StandingFacts standing);
}
