package dev.gatehouse.model;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
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
 * @param doubts facts set aside as in conflict or unreadable
 */
public record Facts(
    List<Issue> issues,
    List<Admission> admissions,
    List<Contract> contracts,
    List<Approval> approvals,
    List<Evidence> evidence,
    List<Run> runs,
    List<Doubt> doubts) {

  // Invariant: the components are the kinds, in FactKind order and named by their JSON names
  // (FactsTest checks it), so code that needs all kinds iterates FactKind, not the components.
  private static final Constructor<Facts> CANONICAL = canonical();

  /** No facts at all. */
  public static final Facts EMPTY = of(Map.of());

  public Facts {
    issues = Values.list(issues);
    admissions = Values.list(admissions);
    contracts = Values.list(contracts);
    approvals = Values.list(approvals);
    evidence = Values.list(evidence);
    runs = Values.list(runs);
    doubts = Values.list(doubts);
  }

  /**
   * Every fact, ordered by kind and then by ref.
   *
   * <p>Invariant: the engine inserts facts in this order, so a trace never depends on the order
   * in which a caller listed them.
   */
  public List<Fact> sorted() {
    List<Fact> all = new ArrayList<>(size());
    for (FactKind kind : FactKind.values()) {
      List<? extends Fact> facts = ofKind(kind);
      if (facts.size() < 2) {
        all.addAll(facts);
        continue;
      }
      // Each ref is built once: ref() concatenates strings, and comparing by ref() built two per
      // comparison on every decision. The sort is stable, as before.
      List<Map.Entry<String, Fact>> keyed = new ArrayList<>(facts.size());
      for (Fact fact : facts) {
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
    Map<FactKind, List<Fact>> byKind = new EnumMap<>(FactKind.class);
    for (Fact fact : facts) {
      byKind.computeIfAbsent(FactKind.of(fact), kind -> new ArrayList<>()).add(fact);
    }
    return of(byKind);
  }

  /** The facts of one kind. */
  public List<? extends Fact> ofKind(FactKind kind) {
    return kind.in(this);
  }

  /** These facts with those of {@code kind} replaced by {@code replacement}. */
  public Facts with(FactKind kind, List<? extends Fact> replacement) {
    Map<FactKind, List<? extends Fact>> byKind = byKind();
    byKind.put(kind, replacement);
    return of(byKind);
  }

  /** The number of facts of every kind together. */
  public int size() {
    int size = 0;
    for (FactKind kind : FactKind.values()) {
      size += ofKind(kind).size();
    }
    return size;
  }

  /** These facts followed by {@code other}'s. */
  public Facts plus(Facts other) {
    if (other.size() == 0) {
      return this;
    }
    Map<FactKind, List<? extends Fact>> byKind = byKind();
    for (FactKind kind : FactKind.values()) {
      List<Fact> all = new ArrayList<>(byKind.get(kind));
      all.addAll(other.ofKind(kind));
      byKind.put(kind, all);
    }
    return of(byKind);
  }

  private Map<FactKind, List<? extends Fact>> byKind() {
    Map<FactKind, List<? extends Fact>> byKind = new EnumMap<>(FactKind.class);
    for (FactKind kind : FactKind.values()) {
      byKind.put(kind, ofKind(kind));
    }
    return byKind;
  }

  private static Facts of(Map<FactKind, ? extends List<? extends Fact>> byKind) {
    Object[] lists = new Object[FactKind.values().length];
    for (FactKind kind : FactKind.values()) {
      lists[kind.ordinal()] = byKind.get(kind);
    }
    try {
      return CANONICAL.newInstance(lists);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Constructor<Facts> canonical() {
    Class<?>[] types = Arrays.stream(Facts.class.getRecordComponents()).map(RecordComponent::getType).toArray(Class<?>[]::new);
    try {
      return Facts.class.getDeclaredConstructor(types);
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(e);
    }
  }
}
