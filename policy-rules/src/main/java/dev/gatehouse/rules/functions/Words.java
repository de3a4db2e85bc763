package dev.gatehouse.rules.functions;

import java.util.Locale;

/**
 * Loose comparison of words, for values that can only close a gate. A value that opens a gate
 * (a passing evidence's kind, a run's {@code via}) is compared exactly; a value that closes one (an
 * operator rejection, a failed harness artifact) also counts when it differs only in case or
 * surrounding spaces, so a rejection written {@code Operator-Rejection} still rejects.
 */
public final class Words {

  private Words() {}

  /** Whether {@code value} is {@code word} apart from case and leading or trailing white space. */
  public static boolean same(String value, String word) {
    return value != null && word != null && value.strip().toLowerCase(Locale.ROOT).equals(word.strip().toLowerCase(Locale.ROOT));
  }
}
