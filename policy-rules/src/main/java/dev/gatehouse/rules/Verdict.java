package dev.gatehouse.rules;

import dev.gatehouse.model.Outcome;
import dev.gatehouse.model.Reason;
import dev.gatehouse.model.Severity;
import java.util.List;

/** How the reasons of one evaluation combine into an outcome, and the reasons Gatehouse adds itself. */
public final class Verdict {

  /** The code of the reason given for a gate that no rule declares. */
  public static final String NO_POLICY = "no-policy";

  /** The code of the reason given when an evaluation throws or passes its limits. */
  public static final String EVALUATION_ERROR = "evaluation-error";

  /** The rule name Gatehouse reports for its own reasons, so they never collide with a policy rule. */
  public static final String ENGINE_RULE = "gatehouse";

  private Verdict() {}

  /**
   * Fail closed: ALLOW only when the gate is declared by the policy set and no reason denies. An
   * unknown gate and an evaluation error arrive here as deny reasons ({@link #NO_POLICY},
   * {@link #EVALUATION_ERROR}), so they can never allow; warnings never deny.
   */
  public static Outcome combine(boolean gateKnown, List<Reason> reasons) {
    boolean denied = reasons.stream().anyMatch(r -> r.severity() == Severity.DENY);
    return gateKnown && !denied ? Outcome.ALLOW : Outcome.DENY;
  }

  /** The reason given for a gate that no rule declares. */
  public static Reason noPolicy(String gate, java.util.Collection<String> known) {
    String author = "have a policy author add rules with @gate(\"" + gate + "\")";
    return new Reason(
        NO_POLICY, Severity.DENY,
        "no policy declares gate '" + gate + "'; declared gates: " + String.join(", ", known),
        ENGINE_RULE, List.of(),
        known.isEmpty() ? author : "ask about a declared gate (" + String.join(", ", known) + "), or " + author);
  }

  /** The reason given when an evaluation cannot finish. */
  public static Reason evaluationError(String message, List<String> facts) {
    return new Reason(EVALUATION_ERROR, Severity.DENY, message, ENGINE_RULE, facts,
        "ask again later; if it fails again, have a policy author fix what the reason names "
            + "(gatehouse test shows it) or raise the evaluation limits");
  }
}
