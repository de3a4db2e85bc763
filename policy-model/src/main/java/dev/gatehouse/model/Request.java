package dev.gatehouse.model;

import java.time.Instant;

/**
 * The question of a decision as rules see it: one fact per evaluation, without the facts list.
 * Rules read {@link #at()} for the time; they never read the clock.
 *
 * @param gate the gate asked
 * @param subject the issue id asked about
 * @param at the time of evaluation
 * @param actor who asks
 * @param runtimeDefaultActivation whether the caller would run with runtime default activation on
 */
public record Request(String gate, String subject, Instant at, String actor, boolean runtimeDefaultActivation) {

  /** The ref traces show for the request, e.g. {@code request:execute}. */
  public String ref() {
    return "request:" + gate;
  }

  /** The question of a decision request. */
  public static Request of(DecisionRequest request) {
    return new Request(
        request.gate(), request.subject(), request.at(), request.actor(), request.runtimeDefaultActivation());
  }
}
