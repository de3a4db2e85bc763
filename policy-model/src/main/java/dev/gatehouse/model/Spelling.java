package dev.gatehouse.model;

/**
 * Loose comparison of a fact's words, for values that can only close a gate: the same letters and
 * digits in any case, whatever stands between them ({@code Operator_Rejection}, an invisible
 * character). The engine uses it where it sets aside or refuses facts, and rules through {@code
 * Words.same}, so both read a value the same way.
 */
public final class Spelling {

  private Spelling() {}

  /** Whether {@code value} has the letters and digits of {@code word}, in any case. */
  public static boolean same(String value, String word) {
    return value != null && word != null && letters(value).equals(letters(word));
  }

  private static String letters(String text) {
    StringBuilder kept = new StringBuilder(text.length());
    text.codePoints().filter(Character::isLetterOrDigit).map(Character::toLowerCase).forEach(kept::appendCodePoint);
    return kept.toString();
  }
}
