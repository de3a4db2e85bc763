package dev.gatehouse.model;

import java.util.List;

/**
 * One rule firing, in firing order.
 *
 * @param seq the position in the firing order, from 1
 * @param rule the rule name
 * @param file the rule file, relative to the policy directory
 * @param line the line of the rule in that file
 * @param facts refs of the facts the match bound, in pattern order
 */
public record TraceStep(int seq, String rule, String file, int line, List<String> facts) {

  public TraceStep {
    facts = List.copyOf(facts);
  }
}
