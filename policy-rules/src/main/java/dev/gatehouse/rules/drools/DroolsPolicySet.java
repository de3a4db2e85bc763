package dev.gatehouse.rules.drools;

import dev.gatehouse.model.Check;
import dev.gatehouse.model.CheckStatus;
import dev.gatehouse.model.Decision;
import dev.gatehouse.model.DecisionRequest;
import dev.gatehouse.model.Fact;
import dev.gatehouse.model.Reason;
import dev.gatehouse.model.Request;
import dev.gatehouse.model.Severity;
import dev.gatehouse.rules.AsOf;
import dev.gatehouse.rules.DecisionIds;
import dev.gatehouse.rules.EvaluationDeadline;
import dev.gatehouse.rules.EvaluationLimits;
import dev.gatehouse.rules.PolicyFiles;
import dev.gatehouse.rules.PolicySet;
import dev.gatehouse.rules.RuleInfo;
import dev.gatehouse.rules.Verdict;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.kie.api.KieBase;
import org.kie.api.definition.rule.Rule;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.KieSessionsPool;
import org.kie.api.runtime.rule.ConsequenceException;

/**
 * A compiled policy set: one immutable KieBase per gate plus the metadata of its rules. Each
 * evaluation takes a session from the pool of the asked gate's base, which holds only that
 * gate's rules and the ungated helper rules, fires them, and disposes of the session (which
 * resets it and returns it to the pool).
 */
final class DroolsPolicySet implements PolicySet {

  /**
   * The KieBase of one gate and its rules' metadata. Invariant: keyed by this base's own Rule
   * objects (each base has its own copies), which are the ones a Match reports.
   */
  record GateBase(KieBase base, Map<Rule, RuleInfo> rules, KieSessionsPool sessions) {
    GateBase(KieBase base, Map<Rule, RuleInfo> rules) {
      // A pooled session is reset on dispose() instead of being rebuilt: creating a session's
      // node memories was a large part of every decision. The pool grows to the number of
      // threads deciding at once.
      this(base, Collections.unmodifiableMap(new IdentityHashMap<>(rules)), base.newKieSessionsPool(1));
    }
  }

  private final PolicyFiles files;
  private final Map<String, GateBase> bases;
  private final List<RuleInfo> ruleList;
  private final SortedSet<String> gates;
  private final Map<String, List<RuleInfo>> checkedRules = new HashMap<>();
  private final EvaluationLimits limits;

  DroolsPolicySet(PolicyFiles files, List<RuleInfo> rules, Map<String, GateBase> bases, EvaluationLimits limits) {
    this.files = files;
    this.bases = Map.copyOf(bases);
    this.ruleList = List.copyOf(rules);
    this.limits = limits;
    this.gates = Collections.unmodifiableSortedSet(new TreeSet<>(bases.keySet()));
    for (String gate : gates) {
      checkedRules.put(gate, ruleList.stream().filter(r -> r.belongsTo(gate) && r.code() != null).toList());
    }
  }

  @Override
  public String revision() {
    return files.revision();
  }

  @Override
  public PolicyFiles files() {
    return files;
  }

  @Override
  public SortedSet<String> gates() {
    return gates;
  }

  @Override
  public List<RuleInfo> rules() {
    return ruleList;
  }

  @Override
  public Decision evaluate(DecisionRequest request) {
    long started = System.nanoTime();
    long deadline = started + limits.maxWallTime().toNanos();
    String gate = request.gate();
    GateBase gateBase = bases.get(gate);
    Firings firings = new Firings(gateBase == null ? Map.of() : gateBase.rules(), deadline);
    AsOf world = AsOf.of(request.facts(), request.at());
    if (gateBase == null) {
      firings.reasons().add(Verdict.noPolicy(gate, gates));
    } else {
      fire(gateBase, request.withFacts(world.facts()), firings, deadline);
    }
    List<Reason> reasons = firings.reasons();
    return new Decision(
        DecisionIds.next(), gate, request.subject(), request.at(),
        Verdict.combine(gates.contains(gate), reasons), reasons, checks(gate, reasons),
        firings.trace(), firings.sources(), world.ignored(), ref(), null, (System.nanoTime() - started) / 1_000);
  }

  private void fire(GateBase gateBase, DecisionRequest request, Firings firings, long deadline) {
    KieSession session = gateBase.sessions().newKieSession();
    // Firings halts the session between firings once the deadline passes; the rule functions see
    // it too, since conditions are evaluated while facts are inserted and matched, between no firings.
    try (EvaluationDeadline.Scope bounded = EvaluationDeadline.start(deadline)) {
      // reset() on dispose removes listeners, so each use attaches this decision's own.
      session.addEventListener(firings);
      // Invariant: facts go in sorted by kind and ref, so the trace does not depend on the caller's order.
      session.insert(Request.of(request));
      for (Fact fact : request.facts().sorted()) {
        session.insert(fact);
      }
      int fired = session.fireAllRules(limits.maxFirings() + 1);
      if (fired > limits.maxFirings()) {
        firings.fail("evaluation stopped after " + limits.maxFirings()
            + " rule firings: rule '" + firings.lastRule() + "' keeps re-triggering");
      } else if (firings.timedOut()) {
        firings.fail(overTime("rule '" + firings.lastRule() + "' was still firing"));
      } else if (System.nanoTime() - deadline > 0) {
        // One long match or firing can pass the deadline without a firing after it to notice.
        firings.fail(overTime("the rules were still matching facts"));
      }
    } catch (ConsequenceException e) {
      String rule = "rule '" + e.getMatch().getRule().getName() + "'";
      firings.fail(deadlinePassed(e) ? overTime(rule + " was still firing") : rule + " failed: " + cause(e));
    } catch (OutOfMemoryError e) {
      // A rule that asked for more memory than there is fails its decision, never the server's.
      firings.fail("a rule ran out of memory: " + cause(e));
    } catch (RuntimeException | StackOverflowError e) {
      // A constraint that throws surfaces while facts are inserted or matched.
      firings.fail(deadlinePassed(e)
          ? overTime("the rules were still matching facts")
          : "a rule failed while matching facts: " + cause(e));
    } finally {
      // Back to the pool: reset() clears memories, agenda (a halt too), facts and listeners.
      session.dispose();
    }
  }

  private List<Check> checks(String gate, List<Reason> reasons) {
    List<RuleInfo> gateRules = checkedRules.getOrDefault(gate, List.of());
    List<Check> checks = new ArrayList<>(gateRules.size());
    for (RuleInfo rule : gateRules) {
      CheckStatus status = CheckStatus.PASSED;
      for (Reason reason : reasons) {
        if (reason.rule().equals(rule.name())) {
          if (reason.severity() == Severity.DENY) {
            status = CheckStatus.FAILED;
            break;
          }
          status = CheckStatus.WARNED;
        }
      }
      checks.add(new Check(rule.name(), rule.code(), status));
    }
    return checks;
  }

  private String overTime(String what) {
    return "evaluation stopped after " + limits.maxWallTime().toMillis() + " ms: " + what;
  }

  /** Whether a rule function stopped the evaluation at its deadline; Drools wraps what it throws. */
  private static boolean deadlinePassed(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof EvaluationDeadline.Passed) {
        return true;
      }
    }
    return false;
  }

  private static String cause(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    String text = message == null || message.isBlank() ? "an unexpected error" : message;
    return text.strip().replaceAll("\\s*\\R\\s*", " ");
  }
}
