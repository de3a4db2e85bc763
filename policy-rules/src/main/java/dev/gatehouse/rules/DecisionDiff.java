package dev.gatehouse.rules;

import dev.gatehouse.model.Check;
import dev.gatehouse.model.CheckStatus;
import dev.gatehouse.model.Decision;
import dev.gatehouse.model.Outcome;
import dev.gatehouse.model.Reason;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What changed between a decision and its replay: the outcome, the reasons added and removed,
 * and the checks that flipped. Ids, durations and revisions are not differences, nor is a reason's
 * remedy: it is advice on the next step, which a policy author may reword without changing a decision.
 *
 * @param outcomeChanged whether the outcome differs
 * @param originalOutcome the outcome logged
 * @param replayedOutcome the outcome of the replay
 * @param reasonsAdded reasons the replay gave that the original did not
 * @param reasonsRemoved reasons the original gave that the replay did not
 * @param checksFlipped rules whose check status differs, including rules only one side has
 */
public record DecisionDiff(
    boolean outcomeChanged,
    Outcome originalOutcome,
    Outcome replayedOutcome,
    List<Reason> reasonsAdded,
    List<Reason> reasonsRemoved,
    List<FlippedCheck> checksFlipped) {

  /**
   * A check whose status differs; a side that has no such rule is null.
   *
   * @param rule the rule name
   * @param code the rule's code
   * @param from the original status, or null
   * @param to the replayed status, or null
   */
  public record FlippedCheck(String rule, String code, CheckStatus from, CheckStatus to) {}

  public DecisionDiff {
    reasonsAdded = List.copyOf(reasonsAdded);
    reasonsRemoved = List.copyOf(reasonsRemoved);
    checksFlipped = List.copyOf(checksFlipped);
  }

  /** The difference from {@code original} to {@code replayed}. */
  public static DecisionDiff of(Decision original, Decision replayed) {
    List<Reason> added = without(replayed.reasons(), original.reasons());
    List<Reason> removed = without(original.reasons(), replayed.reasons());
    Map<String, Check> before = byRule(original.checks());
    Map<String, Check> after = byRule(replayed.checks());
    List<FlippedCheck> flipped = new ArrayList<>();
    before.forEach((rule, check) -> {
      Check now = after.get(rule);
      if (now == null || now.status() != check.status()) {
        flipped.add(new FlippedCheck(rule, check.code(), check.status(), now == null ? null : now.status()));
      }
    });
    after.forEach((rule, check) -> {
      if (!before.containsKey(rule)) {
        flipped.add(new FlippedCheck(rule, check.code(), null, check.status()));
      }
    });
    return new DecisionDiff(original.outcome() != replayed.outcome(), original.outcome(), replayed.outcome(),
        added, removed, flipped);
  }

  /** Whether nothing a client or reviewer relies on changed. */
  public boolean unchanged() {
    return !outcomeChanged && reasonsAdded.isEmpty() && reasonsRemoved.isEmpty() && checksFlipped.isEmpty();
  }

  /** The reasons of {@code from} that {@code other} does not give, remedies aside. */
  private static List<Reason> without(List<Reason> from, List<Reason> other) {
    Set<Reason> given = new HashSet<>();
    other.forEach(r -> given.add(withoutRemedy(r)));
    List<Reason> left = new ArrayList<>();
    for (Reason reason : from) {
      if (!given.contains(withoutRemedy(reason))) {
        left.add(reason);
      }
    }
    return left;
  }

  private static Reason withoutRemedy(Reason r) {
    return r.remedy() == null ? r : new Reason(r.code(), r.severity(), r.message(), r.rule(), r.facts());
  }

  private static Map<String, Check> byRule(List<Check> checks) {
    Map<String, Check> byRule = new LinkedHashMap<>();
    checks.forEach(c -> byRule.put(c.rule(), c));
    return byRule;
  }
}
