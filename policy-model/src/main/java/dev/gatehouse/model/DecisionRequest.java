package dev.gatehouse.model;

import java.time.Instant;

/**
 * A question to a gate: may {@code actor} pass {@code gate} for issue {@code subject} at time
 * {@code at}, given these facts?
 *
 * <p>Rules read {@code at}, never the clock, so the same request against the same policy revision
 * always gives the same decision.
 *
 * @param gate the gate, e.g. {@code execute}
 * @param subject the issue id the question is about
 * @param at the time at which the gate is evaluated
 * @param actor who asks, e.g. {@code cto-harness}
 * @param runtimeDefaultActivation whether the caller would run with runtime default activation on (absent: false)
 * @param facts the governance facts
 */
public record DecisionRequest(
    String gate,
    String subject,
    Instant at,
    String actor,
    Boolean runtimeDefaultActivation,
    Facts facts) {

  public DecisionRequest {
    runtimeDefaultActivation = Boolean.TRUE.equals(runtimeDefaultActivation);
    facts = facts == null ? Facts.EMPTY : facts;
  }

  /** The same request with other facts. */
  public DecisionRequest withFacts(Facts facts) {
    return new DecisionRequest(gate, subject, at, actor, runtimeDefaultActivation, facts);
  }

  /** The same request evaluated at {@code at}. */
  public DecisionRequest withAt(Instant at) {
    return new DecisionRequest(gate, subject, at, actor, runtimeDefaultActivation, facts);
  }
}
