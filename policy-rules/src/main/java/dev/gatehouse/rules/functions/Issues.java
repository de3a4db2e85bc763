package dev.gatehouse.rules.functions;

import dev.gatehouse.model.Issue;
import dev.gatehouse.rules.EvaluationDeadline;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The issues of a decision, collected by a rule ({@code $issues : Issues( ) from collect( Issue( ) )}),
 * for questions about more than one issue at a time: whether an issue is blocked by itself,
 * directly or through other blockers.
 *
 * <p>Why a collection: a rule condition sees one fact per pattern, and a chain of blockers has no
 * bound on its length, so reachability cannot be written as patterns. Drools creates the instance
 * and adds the collected facts; rules can only call the methods declared here (the sandbox refuses
 * the inherited ones, such as {@code clear}), which read and never change it.
 */
public final class Issues extends ArrayList<Object> {

  private static final long serialVersionUID = 1L;

  /** An empty collection, for Drools to fill. */
  public Issues() {
    super();
  }

  /**
   * The cycle of blockers through which the issue {@code id} is blocked by itself, as one sentence
   * ({@code A is blocked by B, which is blocked by A}), or nothing when it is not. A self-blocked
   * issue gives {@code A is blocked by A}. Blockers that are no known issue end a chain.
   */
  public List<String> cycleFrom(String id) {
    Map<String, List<String>> blockers = new HashMap<>();
    for (Object fact : this) {
      if (fact instanceof Issue issue && issue.id() != null) {
        blockers.putIfAbsent(issue.id(), issue.blockedBy());
      }
    }
    if (id == null || !blockers.containsKey(id)) {
      return List.of();
    }
    // Breadth first from id's blockers, remembering how each issue was reached, so the cycle given
    // is a shortest one and the same for the same facts.
    Map<String, String> reachedFrom = new HashMap<>();
    Deque<String> queue = new ArrayDeque<>();
    Set<String> seen = new HashSet<>();
    for (String blocker : blockers.get(id)) {
      if (blocker != null && seen.add(blocker)) {
        reachedFrom.put(blocker, id);
        queue.add(blocker);
      }
    }
    while (!queue.isEmpty()) {
      String current = queue.poll();
      if (current.equals(id)) {
        return List.of(describe(id, reachedFrom));
      }
      List<String> next = blockers.getOrDefault(current, List.of());
      EvaluationDeadline.spend(1L + next.size());
      for (String blocker : next) {
        if (blocker != null && seen.add(blocker)) {
          reachedFrom.put(blocker, current);
          queue.add(blocker);
        }
      }
    }
    return List.of();
  }

  /** {@code A is blocked by B, which is blocked by A}: the path back from id to itself, read forwards. */
  private static String describe(String id, Map<String, String> reachedFrom) {
    List<String> chain = new ArrayList<>();
    String at = id;
    do {
      chain.add(0, at);
      at = reachedFrom.get(at);
    } while (!at.equals(id));
    chain.add(0, id);
    StringBuilder text = new StringBuilder(chain.get(0)).append(" is blocked by ").append(chain.get(1));
    for (int i = 2; i < chain.size(); i++) {
      text.append(", which is blocked by ").append(chain.get(i));
    }
    return text.toString();
  }
}
