package dev.gatehouse.rules.workspace;

import dev.gatehouse.model.Decision;
import dev.gatehouse.model.DecisionRequest;
import dev.gatehouse.model.Facts;
import dev.gatehouse.model.Issue;
import dev.gatehouse.model.Reason;
import dev.gatehouse.model.Severity;
import dev.gatehouse.model.json.InvalidInputException;
import dev.gatehouse.rules.PolicySet;
import dev.gatehouse.rules.Verdict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a workspace's planning files claim that its own gates contradict, decided by the policy set
 * as any request is: an issue recorded {@code validated} that the {@code validate} gate denies,
 * and an issue recorded {@code candidate} or {@code ready} whose blockers the {@code execute} gate
 * finds not validated (or unknown, or circular). Nothing is logged: an audit asks, it decides
 * nothing.
 */
public final class WorkspaceAudit {

  /** The actor of the audit's requests, as decisions' sources name it. */
  public static final String ACTOR = "gatehouse-audit";

  /** Deny codes that say a candidate or ready issue waits for something unfinished. */
  private static final Set<String> BLOCKER_CODES = Set.of("blocker-unknown", "blocker-not-validated", "blocker-cycle");

  /** Deny codes that say the gate could not decide: reported, since the claim stands unchecked. */
  private static final Set<String> UNDECIDED = Set.of(Verdict.NO_POLICY, Verdict.EVALUATION_ERROR);

  // Supplies nothing: every fact of an audit decision comes from the workspace.
  private static final Caller AUDITOR = new Caller(ACTOR, Set.of());

  private WorkspaceAudit() {}

  /**
   * One status claim a gate contradicts.
   *
   * @param issue the issue id
   * @param status its recorded status
   * @param source the file and line of its heading
   * @param gate the gate asked: {@code validate} for a validated issue, {@code execute} for a
   *     candidate or ready one
   * @param reasons the deny reasons that contradict the claim
   */
  public record Finding(String issue, String status, String source, String gate, List<Reason> reasons) {

    public Finding {
      reasons = List.copyOf(reasons);
    }

    /** Each reason as one line: {@code file:line: ID claims validated; validate denies CODE: message}. */
    public List<String> describe() {
      return reasons.stream()
          .map(r -> source + ": " + issue + " claims " + status + "; " + gate + " denies " + r.code() + ": " + r.message())
          .toList();
    }
  }

  /**
   * The audit of one workspace revision with one policy revision at one time.
   *
   * @param workspace the workspace revision
   * @param policy the policy revision
   * @param at the time every gate was asked at
   * @param problems what the workspace could not read, unreadable issues included
   * @param findings the status claims the gates contradict, in file order
   */
  public record Report(String workspace, String policy, Instant at, List<WorkspaceProblem> problems,
      List<Finding> findings) {

    public Report {
      problems = List.copyOf(problems);
      findings = List.copyOf(findings);
    }

    /** Whether there is nothing to fix: no problem and no finding. */
    public boolean clean() {
      return problems.isEmpty() && findings.isEmpty();
    }
  }

  /** Asks {@code policySet} about every status claim of {@code workspace}'s issues at {@code at}. */
  public static Report of(PolicySet policySet, Workspace workspace, Instant at) {
    List<Finding> findings = new ArrayList<>();
    for (Issue issue : workspace.facts().issues()) {
      String status = issue.status() == null ? "" : issue.status();
      if (status.equals("validated")) {
        List<Reason> denies = denies(policySet, workspace, "validate", issue, at);
        if (!denies.isEmpty()) {
          findings.add(new Finding(issue.id(), status, issue.source(), "validate", denies));
        }
      } else if (status.equals("candidate") || status.equals("ready")) {
        List<Reason> waiting = denies(policySet, workspace, "execute", issue, at).stream()
            .filter(r -> BLOCKER_CODES.contains(r.code()) || UNDECIDED.contains(r.code()))
            .collect(Collectors.toList());
        if (!waiting.isEmpty()) {
          findings.add(new Finding(issue.id(), status, issue.source(), "execute", waiting));
        }
      }
    }
    return new Report(workspace.revision(), policySet.revision(), at, workspace.problems(), findings);
  }

  private static List<Reason> denies(PolicySet policySet, Workspace workspace, String gate, Issue issue, Instant at) {
    DecisionRequest request = new DecisionRequest(gate, issue.id(), at, ACTOR, false, Facts.EMPTY);
    Decision decision;
    try {
      decision = RequestFacts.decide(policySet, request, workspace, AUDITOR);
    } catch (FactsNotPermittedException | InvalidInputException e) {
      // Invariant: the request carries no facts, so none can be refused or clash with the workspace.
      throw new IllegalStateException("an audit request carries no facts", e);
    }
    return decision.reasons().stream().filter(r -> r.severity() == Severity.DENY).toList();
  }
}
