package dev.gatehouse.rules;

import java.time.Duration;

/**
 * Bounds on one evaluation; passing either ends it as DENY {@code evaluation-error}.
 *
 * @param maxFirings the most rule firings one decision may take
 * @param maxWallTime the longest one decision may run
 */
public record EvaluationLimits(int maxFirings, Duration maxWallTime) {

  /** Defaults far above what a real policy needs (tens of firings, well under a millisecond). */
  public static final EvaluationLimits DEFAULT = new EvaluationLimits(10_000, Duration.ofSeconds(2));

  public EvaluationLimits {
    if (maxFirings < 1) {
      throw new IllegalArgumentException("maxFirings must be at least 1");
    }
    if (maxWallTime.isNegative() || maxWallTime.isZero()) {
      throw new IllegalArgumentException("maxWallTime must be positive");
    }
  }
}
