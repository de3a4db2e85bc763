package dev.gatehouse.server.http;

import dev.gatehouse.rules.PolicySet;
import dev.gatehouse.rules.workspace.Workspace;
import dev.gatehouse.server.decide.DecisionService.Basis;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Where a decision runs: on the event loop that received it, or on the worker pool.
 *
 * <p>Why: a decision takes tens of microseconds, and handing it to a worker and its answer back
 * costs two thread wake-ups each time, which on a busy machine cost as much as the decision. But
 * an event loop serves every connection it holds, so it may only take decisions that are known to
 * be short. Nothing bounds a decision tightly in advance: the evaluation's bounds (the wall-time
 * deadline, 2 s by default, and the most rule firings) are far beyond what an event loop may
 * spend, and a rule's matching is only bounded where it calls a rule function. So a decision is
 * known to be short only by measurement, and an event loop takes one only when:
 *
 * <ul>
 *   <li>its body is at most {@value #MAX_BODY} bytes: reading and checking the request is then
 *       bounded, and so is the number of facts a request brings;
 *   <li>no policy set or workspace is compiling or loading: they take a core for up to a second,
 *       and the decisions that follow a new revision run cold;
 *   <li>the last decisions of its gate, on the same policy set and workspace (the same objects, so
 *       a new revision starts over on the workers), each took at most {@link #BUDGET_NANOS}, wherever
 *       they ran, and there were at least {@value #STREAK} of them in a row, doubled for every
 *       decision of the gate that overran the budget on an event loop (at most {@value
 *       #MAX_BACKOFF} times). One decision over the budget, anywhere, sends the gate's decisions
 *       back to the workers until the streak is rebuilt there.
 * </ul>
 *
 * Everything else runs on the workers, as every decision did before. The worst case stays one
 * decision on an event loop as long as the evaluation's own bounds allow, after which its gate
 * goes to the workers; the doubling makes a gate whose decisions are only now and then slow land
 * such a decision on an event loop ever more rarely.
 *
 * <p>Thread-safe and shared by the event loops. The counters are updated without locks: a lost
 * update only moves a gate between event loop and workers one decision early or late.
 */
final class DecisionPlacement {

  /** The largest body decided on an event loop: a request carrying a handful of facts. */
  static final int MAX_BODY = 4096;

  /**
   * The most CPU time one decision may take, from its read request to its encoded answer, for its
   * gate to stay on the event loop. A decision of the bundled policies takes 20-60 µs; a
   * millisecond of an event loop delays every other request it holds by as much. CPU time, not wall
   * time: on a loaded machine a thread waits for a core now and then, wherever the decision runs,
   * and counting that wait against a gate kept every gate off the event loops at a load of 16.
   */
  static final long BUDGET_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  /** Short decisions in a row a gate needs before its decisions go to an event loop. */
  static final int STREAK = 16;

  /** How many times an overrun doubles the streak a gate needs: at most 16 × 2^8 = 4096. */
  static final int MAX_BACKOFF = 8;

  /** What is known of one gate's decisions on one basis. */
  private static final class GateRecord {
    private final AtomicInteger streak = new AtomicInteger();
    private final AtomicInteger overruns = new AtomicInteger();

    int required() {
      return STREAK << Math.min(overruns.get(), MAX_BACKOFF);
    }
  }

  /** The records of one basis; undeclared gates share one, so a caller cannot grow the map. */
  private record Records(PolicySet policies, Workspace workspace, Map<String, GateRecord> gates, GateRecord undeclared) {

    Records(Basis basis) {
      this(basis.policies(), basis.workspace(), new ConcurrentHashMap<>(), new GateRecord());
    }

    boolean of(Basis basis) {
      return basis.policies() == policies && basis.workspace() == workspace;
    }

    GateRecord gate(String gate) {
      return policies.gates().contains(gate) ? gates.computeIfAbsent(gate, g -> new GateRecord()) : undeclared;
    }
  }

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final boolean CPU_TIME = THREADS.isCurrentThreadCpuTimeSupported();

  private final BooleanSupplier busy;
  private volatile Records records;

  /** Placement that keeps decisions off the event loops while {@code busy} (a compile or a load is running). */
  DecisionPlacement(BooleanSupplier busy) {
    this.busy = busy;
  }

  /**
   * The current thread's CPU time in nanoseconds (its wall clock where the JVM cannot tell): for
   * {@link #took}, read before and after a decision. About half a microsecond a reading.
   */
  static long now() {
    return CPU_TIME ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
  }

  /** Whether a body of {@code length} bytes is small enough to be read, and maybe decided, on an event loop. */
  boolean small(int length) {
    return length <= MAX_BODY;
  }

  /** Whether a decision on {@code gate} with {@code basis} runs on the event loop. */
  boolean onEventLoop(Basis basis, String gate) {
    if (busy.getAsBoolean()) {
      return false;
    }
    GateRecord record = records(basis).gate(gate);
    return record.streak.get() >= record.required();
  }

  /**
   * Records that a decision on {@code gate} with {@code basis} took {@code nanos}, measured with {@link #now}.
   *
   * @param onEventLoop whether it ran on an event loop
   * @return whether it overran the budget on an event loop
   */
  boolean took(Basis basis, String gate, long nanos, boolean onEventLoop) {
    Records current = records;
    if (current == null) {
      current = records(basis);
    } else if (!current.of(basis)) {
      // A decision on a basis already replaced says nothing about the new one.
      return false;
    }
    GateRecord record = current.gate(gate);
    if (nanos > BUDGET_NANOS) {
      record.streak.set(0);
      if (onEventLoop) {
        record.overruns.incrementAndGet();
        return true;
      }
      return false;
    }
    if (record.streak.get() < record.required()) {
      record.streak.incrementAndGet();
    }
    return false;
  }

  private Records records(Basis basis) {
    Records current = records;
    if (current == null || !current.of(basis)) {
      // A new policy set or workspace starts over: its first decisions run on the workers.
      current = new Records(basis);
      records = current;
    }
    return current;
  }
}
