package dev.gatehouse.rules.functions;

import dev.gatehouse.model.Approval;
import dev.gatehouse.model.Issue;
import dev.gatehouse.model.Run;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Who must approve an issue, and why an approval does not count, so that a gate that denies for a
 * missing approval can say what was wrong with the ones it found: a near miss is never silent.
 */
public final class Approvals {

  private Approvals() {}

  /**
   * Whether a human must approve {@code issue}: it names a human gate, or its type is anything but
   * {@code AFK}. An unexpected type ({@code HUMAN}, {@code H1TL}) is not "no human needed": only
   * an issue that says it may run without a human does.
   */
  public static boolean needed(Issue issue) {
    return !"AFK".equals(issue.type()) || issue.humanGate() != null && !issue.humanGate().isBlank();
  }

  /**
   * Why {@code approval} is not an approval by one of {@code approvers} of one of {@code scopes}, in
   * one sentence ({@code approval A-3 is by 'jp', not JP or Hermes}), or nothing when it is one.
   * Names are compared exactly (the model has trimmed them): {@code jp} is not {@code JP}.
   */
  public static List<String> whyNot(Approval approval, List<String> scopes, List<String> approvers) {
    return sentence(approval, problems(approval, scopes, approvers));
  }

  /** As {@link #whyNot(Approval, List, List)}, and also when it was recorded after {@code at}, the time of the request. */
  public static List<String> whyNot(Approval approval, List<String> scopes, List<String> approvers, Instant at) {
    List<String> problems = problems(approval, scopes, approvers);
    if (approval.recordedAt() == null) {
      problems.add("has no recorded time");
    } else if (at != null && approval.recordedAt().isAfter(at)) {
      problems.add("was recorded at " + approval.recordedAt() + ", after the time of the request " + at);
    }
    return sentence(approval, problems);
  }

  /** As {@link #whyNot(Approval, List, List)}, and also when it was not recorded at or before the first mutation of {@code run}. */
  public static List<String> whyNot(Approval approval, List<String> scopes, List<String> approvers, Run run) {
    List<String> problems = problems(approval, scopes, approvers);
    if (approval.recordedAt() == null) {
      problems.add("has no recorded time");
    } else if (run.firstMutationAt() == null) {
      problems.add("cannot be shown to come before run " + run.id() + ", which has no recorded first mutation");
    } else if (approval.recordedAt().isAfter(run.firstMutationAt())) {
      problems.add("was recorded at " + approval.recordedAt() + ", after the first mutation of run " + run.id()
          + " at " + run.firstMutationAt());
    }
    return sentence(approval, problems);
  }

  private static List<String> problems(Approval approval, List<String> scopes, List<String> approvers) {
    List<String> problems = new ArrayList<>(3);
    if (!Approval.APPROVED.equals(approval.decision())) {
      problems.add("records the decision '" + Texts.shown(approval.decision()) + "', not approved");
    }
    if (approval.approver() == null || approval.approver().isEmpty()) {
      problems.add("names no approver, not " + either(approvers));
    } else if (approvers.stream().noneMatch(approval.approver()::equals)) {
      problems.add("is by '" + Texts.shown(approval.approver()) + "', not " + either(approvers));
    }
    if (approval.scope() == null || scopes.stream().noneMatch(approval.scope()::equals)) {
      problems.add(approval.scope() == null
          ? "names no scope, not " + either(scopes)
          : "is of scope '" + Texts.shown(approval.scope()) + "', not " + either(scopes));
    }
    return problems;
  }

  private static List<String> sentence(Approval approval, List<String> problems) {
    if (problems.isEmpty()) {
      return List.of();
    }
    return List.of("approval " + approval.id() + " " + String.join(", and ", problems));
  }

  /** {@code JP or Hermes}; {@code A, B or C}. */
  private static String either(List<String> names) {
    if (names.size() <= 1) {
      return String.join("", names);
    }
    return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
  }
}
