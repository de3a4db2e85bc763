package dev.gatehouse.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Why a decision came out as it did: one deny or warning raised by one rule for one set of facts.
 *
 * @param code the stable, kebab-case reason code clients branch on, e.g. {@code approval-missing}
 * @param severity deny or warn
 * @param message the human-readable explanation
 * @param rule the name of the rule that raised it
 * @param facts refs of the facts the rule matched
 * @param remedy the next step that would clear it, in the terms (the rule's {@code @remedy}),
 *     or null when the rule gives none
 */
public record Reason(
    String code, Severity severity, String message, String rule, List<String> facts,
    @JsonInclude(JsonInclude.Include.NON_NULL) String remedy) {

  public Reason {
    facts = List.copyOf(facts);
  }

  /** A reason without a remedy. */
  public Reason(String code, Severity severity, String message, String rule, List<String> facts) {
    this(code, severity, message, rule, facts, null);
  }
}
