package dev.gatehouse.rules.drools.sandbox;

import dev.gatehouse.rules.CompileIssue;
import java.util.List;
import java.util.Optional;

/**
 * Checks of a rule file's text made before any parser reads it: the places where the text a
 * person reviews and the text a compiler sees could differ, and sizes that would let one file
 * exhaust the compiler.
 *
 * <p>Unicode escapes are refused outright rather than translated. The Java compiler translates
 * {@code \u005cuXXXX} before it lexes, everywhere: in comments (a {@code \u005cu000d} ends a line
 * comment), in string literals (a {@code \u005cu0022} ends one), in names. Drools copies parts of
 * a rule file into generated Java source — consequences, {@code eval}s, accumulate arguments, and
 * rule names into class names — and MVEL reads the same text with rules of its own. Translating
 * would mean knowing every such place and seeing each exactly as its compiler does; refusing the
 * escape makes the question disappear, and a UTF-8 file can hold any character as itself.
 */
final class SourceText {

  /** The deepest nesting of brackets a rule file may use; real rules use a handful. */
  static final int MAX_NESTING = 64;
  /** The longest a rule file may be, after DSL expansion: the default set is about 20 KB in all. */
  static final int MAX_FILE_CHARS = 1 << 20;
  /** The longest one line may become after DSL expansion. */
  static final int MAX_LINE_CHARS = 8_192;

  private SourceText() {}

  /**
   * The problems of {@code text}, the content of {@code file} as the compiler will read it (a
   * {@code .dslr} file after expansion, whose lines are the author's lines): unicode escapes,
   * nesting, size. Empty when it may go on to be parsed.
   */
  static List<CompileIssue> check(String file, String text) {
    if (text.length() > MAX_FILE_CHARS) {
      return List.of(error(file, 1, 1, "the file is " + text.length() + " characters long (after DSL expansion); "
          + "rule files may have at most " + MAX_FILE_CHARS));
    }
    Optional<CompileIssue> escape = unicodeEscape(file, text);
    if (escape.isPresent()) {
      return List.of(escape.get());
    }
    return nesting(file, text).map(List::of).orElse(List.of());
  }

  /**
   * The first backslash that the Java compiler would read as a unicode escape: one followed by
   * {@code u} and preceded by an even number of backslashes (JLS 3.3). {@code "\\u"} in a string
   * is a backslash and a {@code u}, and stays allowed.
   */
  private static Optional<CompileIssue> unicodeEscape(String file, String text) {
    int backslashes = 0;
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\') {
        if (backslashes % 2 == 0 && i + 1 < text.length() && text.charAt(i + 1) == 'u') {
          int end = i + 1;
          while (end < text.length() && text.charAt(end) == 'u') {
            end++;
          }
          String escape = text.substring(i, Math.min(text.length(), end + 4));
          return Optional.of(error(file, line, i - lineStart + 1, "the unicode escape '" + escape
              + "' is not allowed in rule files: write the character itself (files are read as UTF-8)"));
        }
        backslashes++;
        continue;
      }
      backslashes = 0;
      if (endsLine(text, i)) {
        line++;
        lineStart = i + 1;
      }
    }
    return Optional.empty();
  }

  /**
   * The first bracket deeper than {@link #MAX_NESTING}. Parsers descend once per bracket, so a
   * few thousand of them overflow the stack of whatever thread compiles. Brackets inside string
   * literals count too: a false alarm there needs more than 64 of them in one message.
   */
  private static Optional<CompileIssue> nesting(String file, String text) {
    int depth = 0;
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '(' || c == '[' || c == '{') {
        if (++depth > MAX_NESTING) {
          return Optional.of(error(file, line, i - lineStart + 1,
              "brackets nested more than " + MAX_NESTING + " deep: split the condition into simpler ones"));
        }
      } else if (c == ')' || c == ']' || c == '}') {
        depth = Math.max(0, depth - 1);
      } else if (endsLine(text, i)) {
        line++;
        lineStart = i + 1;
      }
    }
    return Optional.empty();
  }

  /** Whether a line ends at {@code i}: LF, CR or CRLF (counted once), as Java and editors count. */
  private static boolean endsLine(String text, int i) {
    char c = text.charAt(i);
    return c == '\n' || c == '\r' && (i + 1 == text.length() || text.charAt(i + 1) != '\n');
  }

  static CompileIssue error(String file, int line, int column, String message) {
    return new CompileIssue(file, line, column, CompileIssue.Severity.ERROR, message);
  }
}
