package dev.gatehouse.rules.functions;

import dev.gatehouse.rules.EvaluationDeadline;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Touched paths as rules match them. A path is valid when it is a relative path in plain text: not
 * empty, not absolute, with no {@code ..} segment, no backslash, no NUL, line break or other control
 * character, and no percent-escape of {@code .}, {@code /}, {@code \}, {@code %} or a control
 * character ({@code %2e%2e}, {@code %2f}, {@code %252e}). A valid path is matched in its normal
 * form: {@code .} segments and empty segments dropped ({@code ./src//a/} is {@code src/a}).
 *
 * <p>Why refuse rather than resolve: {@code src/../.github/workflows/ci.yml} matches {@code src/**}
 * as text but names a file under {@code .github}; a backslash or an escape means one thing to Git
 * and another to a tool that decodes it. A path that could be read two ways is not guessed at.
 */
public final class Paths {

  // Decoding more often than this is no longer a way to write a path; the rest stays encoded and is
  // then refused for its '%'.
  private static final int MAX_DECODINGS = 4;

  private Paths() {}

  /** What is wrong with each invalid path of {@code paths}, in order: {@code 'a/../b' holds a '..' segment}. */
  public static List<String> invalid(List<String> paths) {
    List<String> problems = new ArrayList<>();
    for (String path : paths) {
      String problem = problem(path);
      if (problem != null) {
        problems.add(problem);
      }
    }
    return problems;
  }

  /** The normal form of each valid path of {@code paths}, in order and without repeats; invalid paths are left out. */
  public static List<String> normalised(List<String> paths) {
    Set<String> normal = new LinkedHashSet<>();
    for (String path : paths) {
      if (problem(path) == null) {
        normal.add(normal(path));
      }
    }
    return List.copyOf(normal);
  }

  /** What is wrong with {@code path}, quoting it, or null when it is a valid path. */
  public static String problem(String path) {
    if (path == null) {
      return "a touched path is missing";
    }
    EvaluationDeadline.spend(path.length());
    String shown = "'" + shown(path) + "'";
    if (path.isBlank()) {
      return shown + " is empty";
    }
    if (path.indexOf('\0') >= 0) {
      return shown + " holds a NUL character";
    }
    if (path.indexOf('\n') >= 0 || path.indexOf('\r') >= 0) {
      return shown + " holds a line break";
    }
    for (int i = 0; i < path.length(); i++) {
      if (Character.isISOControl(path.charAt(i))) {
        return shown + " holds a control character";
      }
    }
    if (path.indexOf('\\') >= 0) {
      return shown + " holds a backslash";
    }
    if (path.startsWith("/") || path.length() >= 2 && path.charAt(1) == ':' && Character.isLetter(path.charAt(0))) {
      return shown + " is absolute";
    }
    for (String segment : path.split("/", -1)) {
      if (segment.equals("..")) {
        return shown + " holds a '..' segment";
      }
      if (decoded(segment).equals("..")) {
        return shown + " holds a percent-encoded '..' segment";
      }
    }
    String escape = suspectEscape(path);
    if (escape != null) {
      return shown + " holds the percent-escape '" + escape + "' of a path separator, dot, percent sign or control character";
    }
    if (normal(path).isEmpty()) {
      return shown + " names no file";
    }
    return null;
  }

  /** {@code path} with its {@code .} and empty segments dropped. */
  static String normal(String path) {
    StringBuilder normal = new StringBuilder(path.length());
    for (String segment : path.split("/")) {
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (normal.length() > 0) {
        normal.append('/');
      }
      normal.append(segment);
    }
    return normal.toString();
  }

  /** {@code text} percent-decoded until it no longer changes (at most a few times), byte for byte as ASCII. */
  private static String decoded(String text) {
    String current = text;
    for (int i = 0; i < MAX_DECODINGS; i++) {
      String next = decodeOnce(current);
      if (next.equals(current)) {
        break;
      }
      current = next;
    }
    return current;
  }

  private static String decodeOnce(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      int value = c == '%' ? hexByte(text, i + 1) : -1;
      if (value >= 0) {
        out.append((char) value);
        i += 2;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** The first escape in {@code path} that stands for '.', '/', '\', '%' or a control character. */
  private static String suspectEscape(String path) {
    for (int i = 0; i + 2 < path.length(); i++) {
      if (path.charAt(i) == '%') {
        int value = hexByte(path, i + 1);
        if (value == '.' || value == '/' || value == '\\' || value == '%' || value >= 0 && (value < 0x20 || value == 0x7f)) {
          return path.substring(i, i + 3);
        }
      }
    }
    return null;
  }

  /** The byte written as two hex digits at {@code at} in {@code text}, or -1. */
  private static int hexByte(String text, int at) {
    if (at + 1 >= text.length()) {
      return -1;
    }
    int high = Character.digit(text.charAt(at), 16);
    int low = Character.digit(text.charAt(at + 1), 16);
    return high < 0 || low < 0 ? -1 : high * 16 + low;
  }

  /** {@code path} on one line, as messages quote it. */
  static String shown(String path) {
    return Texts.shown(path);
  }
}
