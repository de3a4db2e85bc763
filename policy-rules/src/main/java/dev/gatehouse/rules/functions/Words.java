package dev.gatehouse.rules.functions;

import dev.gatehouse.model.Spelling;

/**
 * Loose comparison of words, for values that can only close a gate. A value that opens a gate
 * (a passing evidence's kind, a run's {@code via}) is compared exactly; a value that closes one (an
 * operator rejection, a failed harness artifact) also counts when it has the same letters and
 * digits in any case, whatever stands between them, so a rejection written {@code Operator-Rejection},
 * {@code operator_rejection} or with an invisible character still rejects.
 */
public final class Words {

  private Words() {}

  /** Whether {@code value} has the letters and digits of {@code word}, in any case. */
  public static boolean same(String value, String word) {
    return Spelling.same(value, word);
  }
}
