package dev.gatehouse.rules.functions;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Path globs with the usual semantics: {@code **} matches any number of path segments,
 * {@code *} any characters within one segment, {@code ?} one character other than {@code /}.
 * {@code src/**} matches {@code src/a/b.java}; {@code src/*} matches {@code src/a} but not
 * {@code src/a/b.java}.
 */
public final class Globs {

  // Policies name a handful of globs; compiling each once keeps matching off the hot path.
  private static final Map<String, Pattern> COMPILED = new ConcurrentHashMap<>();
  private static final int MAX_CACHED = 10_000;

  private Globs() {}

  /** Whether {@code path} matches {@code glob}. */
  public static boolean matches(String glob, String path) {
    if (glob == null || path == null) {
      return false;
    }
    Pattern pattern = COMPILED.get(glob);
    if (pattern == null) {
      pattern = compile(glob);
      if (COMPILED.size() < MAX_CACHED) {
        COMPILED.put(glob, pattern);
      }
    }
    return pattern.matcher(path).matches();
  }

  /** Whether {@code path} matches at least one of {@code globs}. */
  public static boolean matchesAny(Collection<String> globs, String path) {
    for (String glob : globs) {
      if (matches(glob, path)) {
        return true;
      }
    }
    return false;
  }

  static Pattern compile(String glob) {
    StringBuilder regex = new StringBuilder();
    int i = 0;
    while (i < glob.length()) {
      char c = glob.charAt(i);
      if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
        boolean slashFollows = i + 2 < glob.length() && glob.charAt(i + 2) == '/';
        // "**/" also matches no directory at all, so "src/**/x" matches "src/x".
        regex.append(slashFollows ? "(?:.*/)?" : ".*");
        i += slashFollows ? 3 : 2;
      } else {
        if (c == '*') {
          regex.append("[^/]*");
        } else if (c == '?') {
          regex.append("[^/]");
        } else {
          regex.append(Pattern.quote(String.valueOf(c)));
        }
        i++;
      }
    }
    return Pattern.compile(regex.toString());
  }
}
