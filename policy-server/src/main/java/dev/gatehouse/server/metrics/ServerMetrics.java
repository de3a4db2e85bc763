package dev.gatehouse.server.metrics;

import dev.gatehouse.model.Decision;
import dev.gatehouse.model.Outcome;
import dev.gatehouse.model.Reason;
import dev.gatehouse.rules.Verdict;
import dev.gatehouse.server.log.DecisionLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntSupplier;

/** The server's Prometheus metrics: decisions, their latency, policy reloads, and the decision log. */
public final class ServerMetrics {

  /** The gate tag of a decision for a gate the policy set does not declare. */
  static final String UNDECLARED_GATE = "undeclared";

  /** Where a decision ran. */
  public enum Placed {
    /** On the worker pool. */
    WORKER,
    /** On the event loop that received it. */
    EVENT_LOOP,
    /** On the event loop that received it, and it took longer than an event loop may spend. */
    EVENT_LOOP_OVERRUN
  }

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  // Looking a counter up in the registry costs more than the decision's bookkeeping; cache by gate.
  private final Map<String, GateCounters> decisions = new ConcurrentHashMap<>();
  private final Timer latency;
  private final Counter reloads;
  private final Counter reloadFailures;
  private final Counter reloadsSuperseded;
  private final Counter activations;
  private final Counter checksRefused;
  private final MultiGauge activeRevision;

  /** Fresh metrics with nothing counted. */
  public ServerMetrics() {
    latency = Timer.builder("gatehouse.decision.duration")
        .description("time from receiving a decision request to sending its answer")
        .publishPercentileHistogram()
        .maximumExpectedValue(Duration.ofSeconds(5))
        .register(registry);
    reloads = Counter.builder("gatehouse.policy.reloads")
        .description("policy sets compiled from the policy directory, activated or not")
        .register(registry);
    reloadFailures = Counter.builder("gatehouse.policy.reload.failures")
        .description("policy sets that did not compile and were not activated")
        .register(registry);
    reloadsSuperseded = Counter.builder("gatehouse.policy.reloads.superseded")
        .description("policy sets not activated because the directory changed while they compiled")
        .register(registry);
    activations = Counter.builder("gatehouse.policy.activations")
        .description("policy revisions activated, the first load included")
        .register(registry);
    checksRefused = Counter.builder("gatehouse.policy.checks.refused")
        .description("candidate policy sets refused with 503 busy because too many were already pending")
        .register(registry);
    activeRevision = MultiGauge.builder("gatehouse.policy.active.revision")
        .description("the active policy revision, as a tag; always 1")
        .register(registry);
  }

  /** Counts a decision by gate and outcome and records how long answering it took. */
  public void decided(Decision decision, long nanos) {
    decided(decision, nanos, Placed.WORKER);
  }

  /**
   * Counts a decision by gate and outcome, and where it ran when that was an event loop, and
   * records how long answering it took.
   */
  public void decided(Decision decision, long nanos, Placed placed) {
    // Any client can name any gate: tag undeclared ones together so the series stay bounded.
    String gate = undeclared(decision.reasons()) ? UNDECLARED_GATE : decision.gate();
    GateCounters counters = decisions.computeIfAbsent(gate, GateCounters::new);
    counters.outcome(decision.outcome()).increment();
    if (placed != Placed.WORKER) {
      counters.eventLoop().increment();
      if (placed == Placed.EVENT_LOOP_OVERRUN) {
        counters.overruns().increment();
      }
    }
    latency.record(nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * The counters of one gate tag, registered when first needed: a series appears with the first
   * decision it counts, as before they were cached here.
   */
  private final class GateCounters {
    private final String gate;
    private final AtomicReferenceArray<Counter> outcomes = new AtomicReferenceArray<>(Outcome.values().length);
    private volatile Counter eventLoop;
    private volatile Counter overruns;

    GateCounters(String gate) {
      this.gate = gate;
    }

    Counter outcome(Outcome outcome) {
      Counter counter = outcomes.get(outcome.ordinal());
      if (counter == null) {
        // Registering twice returns the same counter: a race here is harmless.
        counter = Counter.builder("gatehouse.decisions")
            .description("decisions answered, by gate and outcome")
            .tags("gate", gate, "outcome", outcome.name())
            .register(registry);
        outcomes.set(outcome.ordinal(), counter);
      }
      return counter;
    }

    Counter eventLoop() {
      Counter counter = eventLoop;
      if (counter == null) {
        counter = Counter.builder("gatehouse.decisions.event.loop")
            .description("decisions made on the event loop that received them rather than on a worker, by gate")
            .tags("gate", gate)
            .register(registry);
        eventLoop = counter;
      }
      return counter;
    }

    Counter overruns() {
      Counter counter = overruns;
      if (counter == null) {
        counter = Counter.builder("gatehouse.decisions.event.loop.overruns")
            .description("decisions made on an event loop that took longer than an event loop may spend, by gate;"
                + " each sends its gate's decisions back to the workers")
            .tags("gate", gate)
            .register(registry);
        overruns = counter;
      }
      return counter;
    }
  }

  /** Counts a policy set compiled by a reload, and whether it failed. */
  public void reloaded(boolean failed) {
    reloads.increment();
    if (failed) {
      reloadFailures.increment();
    }
  }

  /** Counts a policy set that was not activated because the directory changed while it compiled. */
  public void superseded() {
    reloadsSuperseded.increment();
  }

  /** Counts an activation and shows {@code revision} as the active one. */
  public void activated(String revision) {
    activations.increment();
    activeRevision.register(List.of(MultiGauge.Row.of(Tags.of("revision", revision), 1)), true);
  }

  /**
   * Shows the decision log's queue depth, whether it takes decisions, and its group commits (how
   * many, the decisions they wrote, the time they took), read at each scrape.
   */
  public void watch(DecisionLog log) {
    Gauge.builder("gatehouse.log.queue.depth", log, l -> l.health().queueDepth())
        .description("decisions waiting for or inside a group commit; at the queue capacity, decisions are refused")
        .strongReference(true)
        .register(registry);
    Gauge.builder("gatehouse.log.writable", log, l -> l.health().ready() ? 1 : 0)
        .description("1 while the decision log takes decisions, 0 after a failed write or once closed")
        .strongReference(true)
        .register(registry);
    FunctionCounter.builder("gatehouse.log.decisions", log, l -> l.commits().decisions())
        .description("decisions committed to the decision log; divided by the commit count, the mean group commit")
        .register(registry);
    FunctionTimer.builder("gatehouse.log.commit", log, l -> l.commits().commits(), l -> l.commits().nanos(),
            TimeUnit.NANOSECONDS)
        .description("group commits of the decision log and the time spent writing them")
        .register(registry);
  }

  /** Shows how many candidate policy sets are compiling or waiting to, read at each scrape. */
  public void watchChecks(IntSupplier pending) {
    Gauge.builder("gatehouse.policy.checks.pending", pending, IntSupplier::getAsInt)
        .description("candidate policy sets compiling or waiting to compile (checks and candidate replays)")
        .strongReference(true)
        .register(registry);
  }

  /** Counts a candidate policy set refused because too many were already pending. */
  public void checkRefused() {
    checksRefused.increment();
  }

  /** The metrics in the Prometheus text format. */
  public String scrape() {
    return registry.scrape();
  }

  private static boolean undeclared(List<Reason> reasons) {
    for (Reason reason : reasons) {
      if (Verdict.NO_POLICY.equals(reason.code()) && Verdict.ENGINE_RULE.equals(reason.rule())) {
        return true;
      }
    }
    return false;
  }
}
