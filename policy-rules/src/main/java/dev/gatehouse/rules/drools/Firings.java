package dev.gatehouse.rules.drools;

import dev.gatehouse.model.Fact;
import dev.gatehouse.model.Reason;
import dev.gatehouse.model.Request;
import dev.gatehouse.model.Severity;
import dev.gatehouse.model.TraceStep;
import dev.gatehouse.rules.RuleInfo;
import dev.gatehouse.rules.Verdict;
import java.util.ArrayList;
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
 */
final class Firings extends DefaultAgendaEventListener {

  private final Map<Rule, RuleInfo> rules;
  private final long deadlineNanos;
  private final List<TraceStep> trace = new ArrayList<>();
  private final List<Reason> reasons = new ArrayList<>();
  private final Map<String, String> sources = new TreeMap<>();
  private boolean timedOut;
  private String lastRule = "";
  private boolean failed;

  Firings(Map<Rule, RuleInfo> rules, long deadlineNanos) {
    this.rules = rules;
    this.deadlineNanos = deadlineNanos;
  }

  @Override
  public void afterMatchFired(AfterMatchFiredEvent event) {
    Match match = event.getMatch();
    RuleInfo info = info(match.getRule());
    lastRule = info.name();
    trace.add(new TraceStep(trace.size() + 1, info.name(), info.file(), info.line(), refs(match.getObjects())));
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
    reasons.add(new Reason(code, severity, message, info.name(), refs(match.getObjects()),
        remedy == null ? null : RuleActions.render(match, remedy)));
  }

  /** Ends the evaluation as an error: the decision denies with {@code evaluation-error}. */
  void fail(String message) {
    if (!failed) {
      failed = true;
      reasons.add(Verdict.evaluationError(message, List.of()));
    }
  }

  boolean timedOut() {
    return timedOut;
  }

  String lastRule() {
    return lastRule;
  }

  List<TraceStep> trace() {
    return trace;
  }

  List<Reason> reasons() {
    return reasons;
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
