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

  /** The letters and digits of {@code text} in lower case: what {@link #same} compares. */
  public static String letters(String text) {
    // A plain loop, not a stream: every evidence a request brings is checked, every decision.
    StringBuilder kept = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      if (Character.isLetterOrDigit(c)) {
        kept.appendCodePoint(Character.toLowerCase(c));
      }
      i += Character.charCount(c);
    }
    return kept.toString();
  }
}
