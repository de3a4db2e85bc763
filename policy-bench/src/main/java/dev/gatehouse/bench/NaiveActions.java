package dev.gatehouse.bench;

import java.util.ArrayList;
import java.util.List;
import org.kie.api.runtime.rule.RuleContext;

/**
 * What the rules of the naive baseline call instead of Gatehouse's deny and warn: they note the
 * rule's name and the message as written (no placeholders rendered, no trace, no checks).
 */
public final class NaiveActions {

  private static final ThreadLocal<List<String>> DENIED = ThreadLocal.withInitial(ArrayList::new);

  private NaiveActions() {}

  /** Notes a deny. */
  public static void deny(RuleContext context, String message) {
    DENIED.get().add(context.getRule().getName() + ": " + message);
  }

  /** Ignores a warning, which never denies. */
  public static void warn(RuleContext context, String message) {
    // A warning does not change the outcome: the baseline keeps nothing of it.
  }

  /** Starts a decision on this thread. */
  static void start() {
    DENIED.get().clear();
  }

  /** The denies noted since {@link #start()}. */
  static List<String> denied() {
    return DENIED.get();
  }
}
