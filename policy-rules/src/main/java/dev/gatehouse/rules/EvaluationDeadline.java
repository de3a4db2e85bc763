package dev.gatehouse.rules;

/**
 * The wall-time deadline of the evaluation running on the current thread, for the rule functions.
 *
 * <p>Why: the engine checks its wall-time bound between rule firings, but a rule function called in
 * a condition runs while facts are inserted and matched, where no firing happens; one slow call, or
 * many quick ones, could hold a worker far past the bound. The engine opens a {@link Scope} around
 * each evaluation; a function that loops over its input reports its work with {@link #spend}, which
 * throws {@link Passed} once the deadline has passed, and the engine turns that into DENY
 * {@code evaluation-error}. Outside a scope (tests, tools) nothing is bounded.
 *
 * <p>Rules cannot call this class: the rule sandbox only lets them reach the fact model and the rule
 * functions, so a rule cannot lift its own bound.
 */
public final class EvaluationDeadline {

  // Reading the clock costs about as much as matching one short path: read it once per this many
  // units of work (about 10-20 µs of matching), so the bound is overshot by no more than that.
  static final long WORK_PER_CHECK = 1 << 14;

  private static final ThreadLocal<Scope> CURRENT = new ThreadLocal<>();

  private EvaluationDeadline() {}

  /** Bounds the rule functions run by this thread until the scope is closed. */
  public static Scope start(long deadlineNanos) {
    Scope scope = new Scope(deadlineNanos, CURRENT.get());
    CURRENT.set(scope);
    return scope;
  }

  /**
   * Records {@code work} units (roughly one per character examined) and, every {@value
   * #WORK_PER_CHECK} units, reads the clock.
   *
   * @throws Passed if the current evaluation's deadline has passed
   */
  public static void spend(long work) {
    Scope scope = CURRENT.get();
    if (scope == null) {
      return;
    }
    scope.work += work;
    if (scope.work >= WORK_PER_CHECK) {
      scope.work = 0;
      if (System.nanoTime() - scope.deadlineNanos > 0) {
        throw new Passed();
      }
    }
  }

  /** The deadline of one evaluation on one thread; closing it restores the enclosing one, if any. */
  public static final class Scope implements AutoCloseable {

    private final long deadlineNanos;
    private final Scope enclosing;
    private long work;

    private Scope(long deadlineNanos, Scope enclosing) {
      this.deadlineNanos = deadlineNanos;
      this.enclosing = enclosing;
    }

    @Override
    public void close() {
      if (enclosing == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(enclosing);
      }
    }
  }

  /** A rule function ran past the deadline of its evaluation. */
  public static final class Passed extends RuntimeException {

    private Passed() {
      // No stack trace: it is expected, caught by the engine, and may be thrown under load.
      super("the evaluation's deadline has passed", null, false, false);
    }
  }
}
