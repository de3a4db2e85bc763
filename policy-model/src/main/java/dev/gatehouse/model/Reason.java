package dev.gatehouse.model;

import java.util.List;

/**
 * Why a decision came out as it did: one deny or warning raised by one rule for one set of facts.
 *
 * @param code the stable, kebab-case reason code clients branch on, e.g. {@code approval-missing}
 * @param severity deny or warn
 * @param message the human-readable explanation
 * @param rule the name of the rule that raised it
 * @param facts refs of the facts the rule matched
 */
public record Reason(String code, Severity severity, String message, String rule, List<String> facts) {

  public Reason {
    facts = List.copyOf(facts);
  }
}
