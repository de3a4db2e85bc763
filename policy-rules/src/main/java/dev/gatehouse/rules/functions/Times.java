package dev.gatehouse.rules.functions;

import java.time.Instant;

/** Time comparisons for rules. A missing time is never at or before anything, so it cannot satisfy a deadline. */
public final class Times {

  private Times() {}

  /** Whether {@code a} is at or before {@code b}; false when either is missing. */
  public static boolean atOrBefore(Instant a, Instant b) {
    return a != null && b != null && !a.isAfter(b);
  }

  /** Whether {@code a} is strictly after {@code b}; false when either is missing. */
  public static boolean after(Instant a, Instant b) {
    return a != null && b != null && a.isAfter(b);
  }
}
