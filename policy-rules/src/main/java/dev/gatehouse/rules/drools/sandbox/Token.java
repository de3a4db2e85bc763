package dev.gatehouse.rules.drools.sandbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One token of rule code (a constraint, a {@code from} source, an {@code eval}, a consequence).
 *
 * @param kind what sort of token
 * @param text its text; a string literal's text is its value
 * @param line the line within the code, from 0
 * @param column the column within its line, from 0
 */
record Token(Kind kind, String text, int line, int column) {

  enum Kind { NAME, NUMBER, STRING, SYMBOL, END }

  // Longest first, so "==" is never read as two "=".
  private static final List<String> SYMBOLS = List.of(
      ">>>=", "<<=", ">>=", ">>>", "...", "==", "!=", "<=", ">=", "&&", "||", ":=", "!.", "->", "::", "++", "--",
      "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<", ">>",
      "(", ")", "[", "]", "{", "}", ".", ",", ";", ":", "?", "!", "~", "+", "-", "*", "/", "%", "<", ">", "=",
      "&", "|", "^", "@", "#");
  private static final Set<Character> NUMBER_CHARS = Set.of('.', '_', 'x', 'X', 'L', 'l', 'f', 'F', 'd', 'D', 'B', 'I',
      'e', 'E', 'a', 'b', 'c', 'A', 'C');

  boolean is(String symbolOrName) {
    return (kind == Kind.SYMBOL || kind == Kind.NAME) && text.equals(symbolOrName);
  }

  /**
   * The tokens of {@code code}. Comments are skipped; a character that no rule code needs (a
   * backslash outside a string, a backtick, a text block) is refused. Unicode escapes never get
   * here: {@link SourceText} refuses them in the file. Invariant: a line ends where the Java
   * compiler ends it (LF, CR or CRLF), so a line comment hides no more than it hides from javac.
   */
  static List<Token> lex(String text) {
    List<Token> tokens = new ArrayList<>();
    int i = 0;
    int line = 0;
    int lineStart = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      int column = i - lineStart;
      if (c == '\n' || c == '\r') {
        line++;
        i += c == '\r' && text.startsWith("\n", i + 1) ? 2 : 1;
        lineStart = i;
      } else if (Character.isWhitespace(c)) {
        i++;
      } else if (text.startsWith("//", i)) {
        while (i < text.length() && text.charAt(i) != '\n' && text.charAt(i) != '\r') {
          i++;
        }
      } else if (text.startsWith("/*", i)) {
        int end = text.indexOf("*/", i + 2);
        if (end < 0) {
          throw new Refusal(new Token(Kind.END, "", line, column), "unterminated comment");
        }
        for (int k = i; k < end; k++) {
          char ch = text.charAt(k);
          if (ch == '\n' || ch == '\r' && text.charAt(k + 1) != '\n') {
            line++;
            lineStart = k + 1;
          }
        }
        i = end + 2;
      } else if (Character.isJavaIdentifierStart(c)) {
        int start = i;
        while (i < text.length() && Character.isJavaIdentifierPart(text.charAt(i))) {
          i++;
        }
        tokens.add(new Token(Kind.NAME, text.substring(start, i), line, column));
      } else if (Character.isDigit(c) || c == '.' && i + 1 < text.length() && Character.isDigit(text.charAt(i + 1))) {
        int start = i;
        while (i < text.length() && (Character.isDigit(text.charAt(i)) || NUMBER_CHARS.contains(text.charAt(i))
            || (text.charAt(i) == '-' || text.charAt(i) == '+') && "eE".indexOf(text.charAt(i - 1)) >= 0)) {
          i++;
        }
        tokens.add(new Token(Kind.NUMBER, text.substring(start, i), line, column));
      } else if (c == '"' || c == '\'') {
        if (text.startsWith("\"\"\"", i)) {
          throw new Refusal(new Token(Kind.STRING, "", line, column), "text blocks are not allowed in rules");
        }
        StringBuilder value = new StringBuilder();
        int k = i + 1;
        while (k < text.length() && text.charAt(k) != c) {
          char v = text.charAt(k);
          if (v == '\n' || v == '\r') {
            break;
          }
          if (v == '\\' && k + 1 < text.length()) {
            k++;
            v = text.charAt(k);
          }
          value.append(v);
          k++;
        }
        if (k >= text.length() || text.charAt(k) != c) {
          throw new Refusal(new Token(Kind.STRING, "", line, column), "unterminated string");
        }
        tokens.add(new Token(Kind.STRING, value.toString(), line, column));
        i = k + 1;
      } else {
        String symbol = symbolAt(text, i);
        if (symbol == null) {
          throw new Refusal(new Token(Kind.SYMBOL, String.valueOf(c), line, column),
              "'" + c + "' is not allowed in rules: " + AllowList.WHY);
        }
        tokens.add(new Token(Kind.SYMBOL, symbol, line, column));
        i += symbol.length();
      }
    }
    tokens.add(new Token(Kind.END, "", line, text.length() - lineStart));
    return tokens;
  }

  private static String symbolAt(String text, int i) {
    for (String symbol : SYMBOLS) {
      if (text.startsWith(symbol, i)) {
        return symbol;
      }
    }
    return null;
  }
}
