package dev.gatehouse.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The answer of a gate: the outcome, every reason, the checklist of the gate's rules and the trace
 * of the rules that fired.
 *
 * @param decisionId a unique id for this decision
 * @param gate the gate asked
 * @param subject the issue asked about
 * @param at the time the gate was evaluated at
 * @param outcome ALLOW or DENY
 * @param reasons every deny and warning, in firing order
 * @param checks every rule of the gate with passed, failed or warned
 * @param trace the rules that fired, in order
 * @param sources where each fact the decision used came from, by ref: a workspace file and line, or
 *     {@code request (principal NAME)}; the request itself included
 * @param ignored the facts set aside before the rules ran, and why (recorded after {@code at}...)
 * @param policy the policy set that decided
 * @param workspace the workspace revision whose facts were used, or null without a workspace
 * @param durationMicros how long the evaluation took
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Decision(
    String decisionId,
    String gate,
    String subject,
    Instant at,
    Outcome outcome,
    List<Reason> reasons,
    List<Check> checks,
    List<TraceStep> trace,
    Map<String, String> sources,
    List<Ignored> ignored,
    PolicyRef policy,
    String workspace,
    long durationMicros) {

  public Decision {
    reasons = List.copyOf(reasons);
    checks = List.copyOf(checks);
    trace = List.copyOf(trace);
    sources = sources == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(sources));
    ignored = ignored == null ? List.of() : List.copyOf(ignored);
  }

  /** Whether the gate is open. */
  public boolean allowed() {
    return outcome == Outcome.ALLOW;
  }

  /** The codes of the deny reasons, in order, with duplicates. */
  public List<String> denyCodes() {
    return reasons.stream().filter(r -> r.severity() == Severity.DENY).map(Reason::code).toList();
  }

  /** The same decision with another id and workspace revision. */
  public Decision identified(String decisionId, String workspace) {
    return new Decision(
        decisionId, gate, subject, at, outcome, reasons, checks, trace, sources, ignored, policy, workspace,
        durationMicros);
  }

  /** The same decision with the sources of the facts it used and the facts set aside before it. */
  public Decision withProvenance(Map<String, String> sources, List<Ignored> ignored) {
    return new Decision(
        decisionId, gate, subject, at, outcome, reasons, checks, trace, sources, ignored, policy, workspace,
        durationMicros);
  }
}
