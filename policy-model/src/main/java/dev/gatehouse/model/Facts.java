package dev.gatehouse.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The governance facts of one decision, by kind.
 *
 * @param issues planning issues
 * @param admissions repository admissions
 * @param contracts task contracts
 * @param approvals human approvals
 * @param evidence evidence records
 * @param runs task runs
 */
public record Facts(
    List<Issue> issues,
    List<Admission> admissions,
    List<Contract> contracts,
    List<Approval> approvals,
    List<Evidence> evidence,
    List<Run> runs) {

  /** No facts at all. */
  public static final Facts EMPTY = new Facts(null, null, null, null, null, null);

  public Facts {
    issues = Values.list(issues);
    admissions = Values.list(admissions);
    contracts = Values.list(contracts);
    approvals = Values.list(approvals);
    evidence = Values.list(evidence);
    runs = Values.list(runs);
  }

  /**
   * Every fact, ordered by kind and then by ref.
   *
   * <p>Invariant: the engine inserts facts in this order, so a trace never depends on the order
   * in which a caller listed them.
   */
  public List<Fact> sorted() {
    List<Fact> all = new ArrayList<>(size());
    for (List<? extends Fact> kind : List.of(issues, admissions, contracts, approvals, evidence, runs)) {
      if (kind.size() < 2) {
        all.addAll(kind);
        continue;
      }
      // Each ref is built once: ref() concatenates strings, and comparing by ref() built two per
      // comparison on every decision. The sort is stable, as before.
      List<Map.Entry<String, Fact>> keyed = new ArrayList<>(kind.size());
      for (Fact fact : kind) {
        keyed.add(Map.entry(fact.ref(), fact));
      }
      keyed.sort(Map.Entry.comparingByKey());
      for (Map.Entry<String, Fact> entry : keyed) {
        all.add(entry.getValue());
      }
    }
    return all;
  }

  /** Facts of any kinds, grouped by kind in the order given. */
  public static Facts of(Collection<? extends Fact> facts) {
    List<Issue> issues = new ArrayList<>();
    List<Admission> admissions = new ArrayList<>();
    List<Contract> contracts = new ArrayList<>();
    List<Approval> approvals = new ArrayList<>();
    List<Evidence> evidence = new ArrayList<>();
    List<Run> runs = new ArrayList<>();
    for (Fact fact : facts) {
      switch (FactKind.of(fact)) {
        case ISSUES -> issues.add((Issue) fact);
        case ADMISSIONS -> admissions.add((Admission) fact);
        case CONTRACTS -> contracts.add((Contract) fact);
        case APPROVALS -> approvals.add((Approval) fact);
        case EVIDENCE -> evidence.add((Evidence) fact);
        case RUNS -> runs.add((Run) fact);
      }
    }
    return new Facts(issues, admissions, contracts, approvals, evidence, runs);
  }

  /** The facts of one kind. */
  public List<? extends Fact> ofKind(FactKind kind) {
    return switch (kind) {
      case ISSUES -> issues;
      case ADMISSIONS -> admissions;
      case CONTRACTS -> contracts;
      case APPROVALS -> approvals;
      case EVIDENCE -> evidence;
      case RUNS -> runs;
    };
  }

  /** The number of facts of every kind together. */
  public int size() {
    return issues.size() + admissions.size() + contracts.size() + approvals.size()
        + evidence.size() + runs.size();
  }

  /** These facts followed by {@code other}'s. */
  public Facts plus(Facts other) {
    return new Facts(
        concat(issues, other.issues), concat(admissions, other.admissions),
        concat(contracts, other.contracts), concat(approvals, other.approvals),
        concat(evidence, other.evidence), concat(runs, other.runs));
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    if (b.isEmpty()) {
      return a;
    }
    List<T> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
