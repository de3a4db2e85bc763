package dev.gatehouse.rules.drools;

import dev.gatehouse.model.Check;
import dev.gatehouse.model.CheckStatus;
import dev.gatehouse.model.Decision;
import dev.gatehouse.model.DecisionRequest;
import dev.gatehouse.model.Fact;
import dev.gatehouse.model.Ignored;
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
import dev.gatehouse.rules.StandingFacts;
import dev.gatehouse.rules.Verdict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.kie.api.KieBase;
import org.kie.api.definition.rule.Rule;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.KieSessionsPool;
import org.kie.api.runtime.rule.ConsequenceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A compiled policy set: one immutable KieBase per gate plus the metadata of its rules. Each
 * evaluation takes a session from the pool of the asked gate's base, which holds only that
 * gate's rules and the ungated helper rules, fires them, and disposes of the session (which
 * resets it and returns it to the pool).
 *
 * <p>With {@link StandingFacts} (a workspace's), a gate whose rules all start from the request
 * ({@link ResidentEligibility}) is decided on a session that keeps the standing facts resident
 * between decisions ({@link ResidentSessions}): only the request and its own facts are inserted,
 * and taken out again by the next decision on that session. The decision is the one a fresh session
 * gives with the same facts in the same order; the set keeps resident sessions for one
 * {@link StandingFacts} instance at a time.
 */
final class DroolsPolicySet implements PolicySet {

  private static final Logger LOG = LoggerFactory.getLogger(DroolsPolicySet.class);

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
  // Per gate, its checks when no rule raised a reason (every ALLOW without warnings): Checks are
  // immutable, so these are shared instead of built again for each decision.
  private final Map<String, List<Check>> passedChecks = new HashMap<>();
  private final EvaluationLimits limits;
  // Gates whose bases may keep standing facts resident; a gate leaves it if a resident session
  // ever shows it cannot (see notBuilt).
  private final Set<String> residentGates = ConcurrentHashMap.newKeySet();
  // Gates whose rules use agenda state: each decision gets a new session, never a reset one.
  private final Set<String> unpooledGates = new HashSet<>();
  private final AtomicReference<ResidentSessions> resident = new AtomicReference<>();

  DroolsPolicySet(PolicyFiles files, List<RuleInfo> rules, Map<String, GateBase> bases, EvaluationLimits limits) {
    this.files = files;
    this.bases = Map.copyOf(bases);
    this.ruleList = List.copyOf(rules);
    this.limits = limits;
    this.gates = Collections.unmodifiableSortedSet(new TreeSet<>(bases.keySet()));
    for (String gate : gates) {
      checkedRules.put(gate, ruleList.stream().filter(r -> r.belongsTo(gate) && r.code() != null).toList());
      passedChecks.put(gate, checkedRules.get(gate).stream()
          .map(rule -> new Check(rule.name(), rule.code(), CheckStatus.PASSED)).toList());
      KieBase base = this.bases.get(gate).base();
      ResidentEligibility.agendaState(base).ifPresent(why -> unpooledGates.add(gate));
      Optional<String> whyNot = ResidentEligibility.whyNot(base);
      if (whyNot.isEmpty()) {
        residentGates.add(gate);
      } else {
        LOG.debug("gate '{}' of policy set {} decides on fresh sessions: {}", gate, files.revision(), whyNot.get());
      }
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
    return evaluate(request, StandingFacts.NONE, false);
  }

  @Override
  public Decision evaluate(DecisionRequest request, StandingFacts standing) {
    return evaluate(request, standing, true);
  }

  /**
   * The decision on {@code request} with {@code standing} facts made on a fresh session, never a
   * resident one: what {@link #evaluate(DecisionRequest, StandingFacts)} must equal.
   */
  Decision evaluateFresh(DecisionRequest request, StandingFacts standing) {
    return evaluate(request, standing, false);
  }

  /** Whether decisions of {@code gate} with standing facts use resident sessions. */
  boolean resident(String gate) {
    return residentGates.contains(gate);
  }

  /** The KieBase of {@code gate}: for tests. */
  KieBase base(String gate) {
    return bases.get(gate).base();
  }

  /** The resident sessions kept now, if any: for tests. */
  Optional<ResidentSessions> residentSessions() {
    return Optional.ofNullable(resident.get());
  }

  private Decision evaluate(DecisionRequest request, StandingFacts standing, boolean mayReside) {
    long started = System.nanoTime();
    long deadline = started + limits.maxWallTime().toNanos();
    String gate = request.gate();
    GateBase gateBase = bases.get(gate);
    Firings firings = new Firings(gateBase == null ? Map.of() : gateBase.rules(), deadline);
    Instant at = request.at();
    AsOf own = AsOf.of(request.facts(), at);
    if (gateBase == null) {
      firings.add(Verdict.noPolicy(gate, gates));
    } else {
      Request question = Request.of(request);
      List<Fact> ownFacts = own.facts().sorted();
      boolean decided = mayReside && standing.size() > 0 && residentGates.contains(gate)
          && fireResident(gate, gateBase, standing, question, ownFacts, firings, deadline);
      if (!decided) {
        firings = new Firings(gateBase.rules(), deadline);
        fire(gate, gateBase, question, standing.visible(standing.slot(at)), ownFacts, firings, deadline);
      }
    }
    List<Ignored> ignored = standing.size() == 0 ? own.ignored() : AsOf.ignored(standing, request.facts(), at);
    List<Reason> reasons = firings.reasons();
    return new Decision(
        DecisionIds.next(), gate, request.subject(), at,
        Verdict.combine(gateBase != null, reasons), reasons, checks(gate, reasons),
        firings.trace(), firings.sources(), ignored, ref(), null, (System.nanoTime() - started) / 1_000);
  }

  /**
   * Decides on a fresh session from the gate's pool. Invariant: facts go in sorted by kind and ref,
   * the standing ones before the request's own, so the trace does not depend on the caller's order.
   */
  private void fire(String gate, GateBase gateBase, Request question, List<Fact> standing, List<Fact> own,
      Firings firings, long deadline) {
    KieSession session = unpooledGates.contains(gate) ? gateBase.base().newKieSession() : gateBase.sessions().newKieSession();
    // Firings halts the session between firings once the deadline passes; the rule functions see
    // it too, since conditions are evaluated while facts are inserted and matched, between no firings.
    try (EvaluationDeadline.Scope bounded = EvaluationDeadline.start(deadline)) {
      // reset() on dispose removes listeners, so each use attaches this decision's own.
      session.addEventListener(firings);
      session.insert(question);
      for (Fact fact : standing) {
        session.insert(fact);
      }
      for (Fact fact : own) {
        session.insert(fact);
      }
      fireAll(session, firings, deadline);
    } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
      failed(e, firings);
    } finally {
      // Back to the pool: reset() clears memories, agenda (a halt too), facts and listeners. An
      // unpooled session is disposed of for good.
      session.dispose();
    }
  }

  /**
   * Decides on a session that holds the standing facts of the request's slot: takes the last
   * decision's request and facts out, inserts this one's, fires, and gives the session back only if
   * it is then settled, holding nothing but the standing facts and this decision's own
   * ({@link ResidentSessions}). A decision that failed (an error, a bound) keeps its evaluation
   * error, and its session is disposed of.
   *
   * @return false when no resident session could be had, or the one used was not settled
   *     afterwards: then {@code firings} must be dropped and the request decided on a fresh session
   */
  private boolean fireResident(String gate, GateBase gateBase, StandingFacts standing, Request question,
      List<Fact> own, Firings firings, long deadline) {
    ResidentSessions sessions = residentFor(standing);
    try (EvaluationDeadline.Scope bounded = EvaluationDeadline.start(deadline)) {
      ResidentSessions.Lease lease;
      try {
        lease = sessions.take(gate, gateBase.base(), standing.slot(question.at()));
      } catch (ResidentSessions.NotBuilt e) {
        notBuilt(gate, e);
        return false;
      }
      KieSession session = lease.session();
      boolean keep = false;
      try {
        long deciding = System.nanoTime();
        try {
          session.addEventListener(firings);
          lease.ask(question, own);
          fireAll(session, firings, deadline);
        } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
          failed(e, firings);
        }
        session.removeEventListener(firings);
        if (firings.failed()) {
          return true;
        }
        // The decision's facts stay in until the next decision on this session takes them out,
        // unless it built enough matches to make that costly.
        try {
          keep = (System.nanoTime() - deciding < ResidentSessions.SETTLE_AFTER_NANOS || lease.settle())
              && sessions.clean(lease);
        } catch (EvaluationDeadline.Passed e) {
          // Only taking the decision back out ran late: the decision stands, the session goes.
          return true;
        } catch (OutOfMemoryError | RuntimeException | StackOverflowError e) {
          LOG.error("taking a decision out of a resident session of gate '{}' failed; deciding again on a fresh session",
              gate, e);
          return false;
        }
        if (!keep) {
          LOG.error("a resident session of gate '{}' was not settled after a decision; deciding again on a fresh session",
              gate);
        }
        return keep;
      } finally {
        if (keep) {
          sessions.giveBack(lease);
        } else {
          sessions.discard(lease);
        }
      }
    }
  }

  /** The resident sessions for {@code standing}; those for any other instance are closed. */
  private ResidentSessions residentFor(StandingFacts standing) {
    while (true) {
      ResidentSessions current = resident.get();
      if (current != null && current.standing() == standing) {
        return current;
      }
      ResidentSessions created = new ResidentSessions(standing);
      if (resident.compareAndSet(current, created)) {
        if (current != null) {
          current.close();
        }
        return created;
      }
    }
  }

  private void notBuilt(String gate, ResidentSessions.NotBuilt e) {
    if (e.getCause() == null) {
      // A rule matched standing facts alone, which ResidentEligibility should have seen: never again.
      residentGates.remove(gate);
      LOG.error("gate '{}' of policy set {} cannot keep facts resident ({}); it decides on fresh sessions from now on",
          gate, files.revision(), e.getMessage());
    }
  }

  /** Fires the session's rules within the limits, recording a passed bound as an evaluation error. */
  private void fireAll(KieSession session, Firings firings, long deadline) {
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
  }

  /** Records what inserting or firing threw as the decision's evaluation error. */
  private void failed(Throwable e, Firings firings) {
    if (e instanceof ConsequenceException consequence) {
      String rule = "rule '" + consequence.getMatch().getRule().getName() + "'";
      firings.fail(deadlinePassed(e) ? overTime(rule + " was still firing") : rule + " failed: " + cause(e));
    } else if (e instanceof OutOfMemoryError) {
      // A rule that asked for more memory than there is fails its decision, never the server's.
      firings.fail("a rule ran out of memory: " + cause(e));
    } else {
      // A constraint that throws surfaces while facts are inserted or matched.
      firings.fail(deadlinePassed(e)
          ? overTime("the rules were still matching facts")
          : "a rule failed while matching facts: " + cause(e));
    }
  }

  private List<Check> checks(String gate, List<Reason> reasons) {
    if (reasons.isEmpty()) {
      return passedChecks.getOrDefault(gate, List.of());
    }
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
