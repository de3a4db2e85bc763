package dev.gatehouse.rules.drools;

import dev.gatehouse.model.Fact;
import dev.gatehouse.model.Reason;
import dev.gatehouse.model.Request;
import dev.gatehouse.model.Severity;
import dev.gatehouse.model.TraceStep;
import dev.gatehouse.rules.RuleInfo;
import dev.gatehouse.rules.Verdict;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.kie.api.definition.rule.Rule;
import org.kie.api.event.rule.AfterMatchFiredEvent;
import org.kie.api.event.rule.DefaultAgendaEventListener;
import org.kie.api.runtime.rule.Match;

/**
 * Collects one evaluation's trace and reasons, and stops an evaluation that passes its wall-time
 * bound. One instance per evaluation; not shared between threads.
 *
 * <p>The order of the trace (and of the reasons, which follow the firings that raised them) is
 * defined here, not left to Drools: rules fire in agenda order (salience, then the order of the
 * rule files), and a rule that fires several times in a row with one salience lists its firings by
 * the refs of the facts each matched, in pattern order. Why: within one rule Drools fires matches in
 * the order of its node memories, which depends on the batches facts arrived in, not only on their
 * order — a session that keeps standing facts resident between decisions holds them in an older
 * batch than a fresh session does. Rules cannot observe the order (a consequence only denies or
 * warns), so ordering a run of one rule's firings changes nothing but the trace's order. Matches that
 * differ only in values taken {@code from} a list keep the list's order.
 */
final class Firings extends DefaultAgendaEventListener {

  /** One firing: its rule, the refs it matched, and the reasons its consequence raised. */
  private record Step(Rule rule, int salience, RuleInfo info, List<String> refs, List<Reason> reasons) {}

  private static final Comparator<List<String>> BY_REFS = (a, b) -> {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      int c = a.get(i).compareTo(b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  };

  private final Map<Rule, RuleInfo> rules;
  private final long deadlineNanos;
  private final List<Step> steps = new ArrayList<>();
  // Reasons raised by the consequence under way, until its firing ends; then the step's.
  private List<Reason> raised = new ArrayList<>(2);
  private final List<Reason> engine = new ArrayList<>(1);
  private final Map<String, String> sources = new TreeMap<>();
  private boolean timedOut;
  private String lastRule = "";
  private boolean failed;
  private List<TraceStep> trace;
  private List<Reason> reasons;

  Firings(Map<Rule, RuleInfo> rules, long deadlineNanos) {
    this.rules = rules;
    this.deadlineNanos = deadlineNanos;
  }

  @Override
  public void afterMatchFired(AfterMatchFiredEvent event) {
    Match match = event.getMatch();
    RuleInfo info = info(match.getRule());
    lastRule = info.name();
    steps.add(new Step(match.getRule(), match.getSalience(), info, refs(match.getObjects()),
        raised.isEmpty() ? List.of() : raised));
    if (!raised.isEmpty()) {
      raised = new ArrayList<>(2);
    }
    // halt() stops the loop between firings; a single long right-hand side cannot be interrupted.
    if (System.nanoTime() > deadlineNanos) {
      timedOut = true;
      event.getKieRuntime().halt();
    }
  }

  /**
   * Records a deny or warning raised by the rule of {@code match}, with the rule's {@code @remedy}
   * rendered against the same match as the message.
   */
  void raise(Match match, Severity severity, String message) {
    RuleInfo info = info(match.getRule());
    String code = info.code() == null ? "undeclared-code" : info.code();
    String remedy = info.remedy();
    raised.add(new Reason(code, severity, message, info.name(), refs(match.getObjects()),
        remedy == null ? null : RuleActions.render(match, remedy)));
  }

  /** Ends the evaluation as an error: the decision denies with {@code evaluation-error}. */
  void fail(String message) {
    if (!failed) {
      failed = true;
      engine.add(Verdict.evaluationError(message, List.of()));
    }
  }

  /** Adds a reason Gatehouse gives itself (an unknown gate), after those of the rules. */
  void add(Reason reason) {
    engine.add(reason);
  }

  /** Whether the evaluation ended as an error (a rule threw, a bound was passed). */
  boolean failed() {
    return failed;
  }

  boolean timedOut() {
    return timedOut;
  }

  String lastRule() {
    return lastRule;
  }

  /** The trace, in the order defined above; read once the evaluation is over. */
  List<TraceStep> trace() {
    finish();
    return trace;
  }

  /**
   * The reasons: those of each firing in trace order, then any raised by a consequence that did not
   * finish, then Gatehouse's own; read once the evaluation is over.
   */
  List<Reason> reasons() {
    finish();
    return reasons;
  }

  private void finish() {
    if (trace != null) {
      return;
    }
    // Each run of consecutive firings of one rule at one salience, ordered by the refs they matched.
    int start = 0;
    for (int i = 1; i <= steps.size(); i++) {
      if (i == steps.size() || steps.get(i).rule() != steps.get(start).rule()
          || steps.get(i).salience() != steps.get(start).salience()) {
        if (i - start > 1) {
          steps.subList(start, i).sort((a, b) -> BY_REFS.compare(a.refs(), b.refs()));
        }
        start = i;
      }
    }
    List<TraceStep> ordered = new ArrayList<>(steps.size());
    List<Reason> all = new ArrayList<>(steps.size() + engine.size());
    for (Step step : steps) {
      RuleInfo info = step.info();
      ordered.add(new TraceStep(ordered.size() + 1, info.name(), info.file(), info.line(), step.refs()));
      all.addAll(step.reasons());
    }
    all.addAll(raised);
    all.addAll(engine);
    trace = ordered;
    reasons = all;
  }

  private RuleInfo info(Rule rule) {
    RuleInfo info = rules.get(rule);
    return info != null ? info : new RuleInfo(rule.getName(), "", 0, List.of(), null, null, Map.of(), "");
  }

  /** Where each fact named in the trace or the reasons came from, by ref. */
  Map<String, String> sources() {
    return sources;
  }

  /**
   * The refs of the matched governance facts and request, in pattern order, without repeats; each
   * fact's source is noted for {@link #sources()}.
   */
  private List<String> refs(List<Object> objects) {
    List<String> refs = new ArrayList<>(objects.size());
    for (Object object : objects) {
      String ref = null;
      if (object instanceof Fact fact) {
        ref = fact.ref();
        sources.putIfAbsent(ref, fact.source());
      } else if (object instanceof Request request) {
        ref = request.ref();
      }
      if (ref != null && !refs.contains(ref)) {
        refs.add(ref);
      }
    }
    return refs;
  }
}
