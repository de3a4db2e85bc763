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
   * The tokens of {@code code}. Unicode escapes are translated first, as the Java compiler does, so
   * {@code \u0053ystem} is read as {@code System}; comments are skipped; a character that no rule
   * code needs (a backslash outside a string, a backtick, a text block) is refused.
   */
  static List<Token> lex(String code) {
    String text = unicodeEscapes(code);
    List<Token> tokens = new ArrayList<>();
    int i = 0;
    int line = 0;
    int lineStart = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      int column = i - lineStart;
      if (c == '\n') {
        line++;
        lineStart = ++i;
      } else if (Character.isWhitespace(c)) {
        i++;
      } else if (text.startsWith("//", i)) {
        while (i < text.length() && text.charAt(i) != '\n') {
          i++;
        }
      } else if (text.startsWith("/*", i)) {
        int end = text.indexOf("*/", i + 2);
        if (end < 0) {
          throw new Refusal(new Token(Kind.END, "", line, column), "unterminated comment");
        }
        for (int k = i; k < end; k++) {
          if (text.charAt(k) == '\n') {
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
          if (v == '\n') {
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

  // Java reads \\uXXXX (with any number of u's) before anything else, also inside strings and comments.
  private static String unicodeEscapes(String code) {
    if (code.indexOf("\\u") < 0) {
      return code;
    }
    StringBuilder out = new StringBuilder(code.length());
    int i = 0;
    while (i < code.length()) {
      char c = code.charAt(i);
      if (c == '\\' && i + 1 < code.length() && code.charAt(i + 1) == 'u' && precedingBackslashes(code, i) % 2 == 0) {
        int k = i + 1;
        while (k < code.length() && code.charAt(k) == 'u') {
          k++;
        }
        if (k + 4 <= code.length()) {
          try {
            out.append((char) Integer.parseInt(code.substring(k, k + 4), 16));
            i = k + 4;
            continue;
          } catch (NumberFormatException e) {
            // not an escape: fall through and keep the backslash, which the lexer then refuses
          }
        }
      }
      out.append(c);
      i++;
    }
    return out.toString();
  }

  private static int precedingBackslashes(String code, int i) {
    int n = 0;
    while (i - 1 - n >= 0 && code.charAt(i - 1 - n) == '\\') {
      n++;
    }
    return n;
  }
}
