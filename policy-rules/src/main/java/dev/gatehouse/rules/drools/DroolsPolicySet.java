package dev.gatehouse.rules.drools;

import dev.gatehouse.model.Check;
import dev.gatehouse.model.CheckStatus;
import dev.gatehouse.model.Decision;
import dev.gatehouse.model.DecisionRequest;
import dev.gatehouse.model.Fact;
import dev.gatehouse.model.Reason;
import dev.gatehouse.model.Request;
import dev.gatehouse.model.Severity;
import dev.gatehouse.rules.DecisionIds;
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
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.kie.api.KieBase;
import org.kie.api.definition.rule.Rule;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.rule.AgendaFilter;
import org.kie.api.runtime.rule.ConsequenceException;

/**
 * A compiled policy set: an immutable KieBase plus the metadata of its rules. Each evaluation opens
 * a short-lived session, fires only the rules of the asked gate (and ungated helper rules), and
 * disposes of the session.
 */
final class DroolsPolicySet implements PolicySet {

  private final PolicyFiles files;
  // Not a KieSessionsPool: measured here, pooled sessions slowed down on the deny path (their
  // object stores grew across resets) while a fresh session per decision stays flat.
  private final KieBase base;
  // Invariant: keyed by the KieBase's own Rule objects, which are the ones a Match reports.
  private final Map<Rule, RuleInfo> rules;
  private final List<RuleInfo> ruleList;
  private final SortedSet<String> gates;
  private final Map<String, AgendaFilter> filters = new HashMap<>();
  private final Map<String, List<RuleInfo>> checkedRules = new HashMap<>();
  private final EvaluationLimits limits;

  DroolsPolicySet(PolicyFiles files, KieBase base, Map<Rule, RuleInfo> rules, EvaluationLimits limits) {
    this.files = files;
    this.base = base;
    this.rules = Collections.unmodifiableMap(new IdentityHashMap<>(rules));
    this.ruleList = List.copyOf(rules.values());
    this.limits = limits;
    SortedSet<String> declared = new TreeSet<>();
    ruleList.forEach(r -> declared.addAll(r.gates()));
    this.gates = Collections.unmodifiableSortedSet(declared);
    for (String gate : gates) {
      Set<Rule> firing = Collections.newSetFromMap(new IdentityHashMap<>());
      rules.forEach((rule, info) -> {
        if (info.gates().isEmpty() || info.belongsTo(gate)) {
          firing.add(rule);
        }
      });
      filters.put(gate, match -> firing.contains(match.getRule()));
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
    String gate = request.gate();
    Firings firings = new Firings(rules, started + limits.maxWallTime().toNanos());
    if (!gates.contains(gate)) {
      firings.reasons().add(Verdict.noPolicy(gate, gates));
    } else {
      fire(request, firings);
    }
    List<Reason> reasons = firings.reasons();
    return new Decision(
        DecisionIds.next(), gate, request.subject(), request.at(),
        Verdict.combine(gates.contains(gate), reasons), reasons, checks(gate, reasons),
        firings.trace(), firings.sources(), ref(), null, (System.nanoTime() - started) / 1_000);
  }

  private void fire(DecisionRequest request, Firings firings) {
    KieSession session = base.newKieSession();
    try {
      session.addEventListener(firings);
      // Invariant: facts go in sorted by kind and ref, so the trace does not depend on the caller's order.
      session.insert(Request.of(request));
      for (Fact fact : request.facts().sorted()) {
        session.insert(fact);
      }
      int fired = session.fireAllRules(filters.get(request.gate()), limits.maxFirings() + 1);
      if (fired > limits.maxFirings()) {
        firings.fail("evaluation stopped after " + limits.maxFirings()
            + " rule firings: rule '" + firings.lastRule() + "' keeps re-triggering");
      } else if (firings.timedOut()) {
        firings.fail("evaluation stopped after " + limits.maxWallTime().toMillis()
            + " ms: rule '" + firings.lastRule() + "' was still firing");
      }
    } catch (ConsequenceException e) {
      firings.fail("rule '" + e.getMatch().getRule().getName() + "' failed: " + cause(e));
    } catch (RuntimeException | StackOverflowError e) {
      // A constraint that throws surfaces while facts are inserted or matched.
      firings.fail("a rule failed while matching facts: " + cause(e));
    } finally {
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
