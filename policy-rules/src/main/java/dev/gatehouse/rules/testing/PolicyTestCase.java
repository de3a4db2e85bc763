package dev.gatehouse.rules.testing;

import dev.gatehouse.model.DecisionRequest;
import dev.gatehouse.model.Outcome;
import java.util.Set;

/**
 * One policy test: a request and what the policy set must answer.
 *
 * @param file the suite file, relative to the policy directory
 * @param suite the suite name
 * @param name the case name, unique within its suite
 * @param request the request, with its facts merged from the suite and the case
 * @param outcome the expected outcome
 * @param deny the exact set of expected deny codes
 * @param warn the exact set of expected warning codes, or null when the case does not check them
 */
public record PolicyTestCase(
    String file, String suite, String name, DecisionRequest request, Outcome outcome, Set<String> deny,
    Set<String> warn) {

  /** The name shown on a test line: {@code file › case}. */
  public String displayName() {
    return file + " › " + name;
  }
}
