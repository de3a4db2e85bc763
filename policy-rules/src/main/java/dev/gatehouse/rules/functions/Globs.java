package dev.gatehouse.rules.functions;

import dev.gatehouse.model.json.FactValidator;
import dev.gatehouse.rules.EvaluationDeadline;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

/**
 * Path globs with the usual semantics: {@code **} matches any number of path segments,
 * {@code *} any characters within one segment, {@code ?} one character other than {@code /}.
 * {@code src/**} matches {@code src/a/b.java}; {@code src/*} matches {@code src/a} but not
 * {@code src/a/b.java}; {@code **}{@code /} also matches no directory at all, so
 * {@code src/**}{@code /x} matches {@code src/x}. Every other character stands for itself, and
 * case matters.
 *
 * <p>Matching takes time linear in the path times the glob's length / 64, whatever the glob: globs
 * come from requests, and the backtracking regexes this replaced took 16 s on one 30-segment path.
 */
public final class Globs {

  // A glob's compiled masks cost more to build than one match of a short path, and a decision
  // matches every touched path against the same few globs, so compiled globs are kept. Globs come
  // from requests: the cache is bounded by the bytes it holds, not by count (10,000 globs of 1,024
  // distinct characters would hold over a gigabyte of masks), and when full it is emptied rather
  // than kept full of whichever globs came first.
  private static final long CACHE_BYTES = 8L << 20;
  private static final Map<String, Glob> CACHE = new ConcurrentHashMap<>();
  private static long cachedBytes; // guarded by CACHE

  private Globs() {}

  /** Whether {@code path} matches {@code glob}. */
  public static boolean matches(String glob, String path) {
    if (glob == null || path == null) {
      return false;
    }
    if (glob.length() > FactValidator.MAX_PATH_LENGTH || path.length() > FactValidator.MAX_PATH_LENGTH) {
      // Facts never hold longer ones, but a rule could build one: refuse it (the decision denies
      // with evaluation-error) rather than spend time and memory without bound on one match.
      throw new IllegalArgumentException("cannot match a glob of " + glob.length() + " characters against a path of "
          + path.length() + ": at most " + FactValidator.MAX_PATH_LENGTH + " each");
    }
    Glob compiled = CACHE.get(glob);
    if (compiled == null) {
      compiled = new Glob(glob);
      keep(glob, compiled);
    }
    // One match is short (at most 1024 characters of path), but a decision can ask for millions.
    EvaluationDeadline.spend((long) path.length() * compiled.words);
    return compiled.matches(path);
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

  private static void keep(String text, Glob glob) {
    long bytes = glob.bytes() + 2L * text.length();
    synchronized (CACHE) {
      if (cachedBytes + bytes > CACHE_BYTES) {
        CACHE.clear();
        cachedBytes = 0;
      }
      if (CACHE.putIfAbsent(text, glob) == null) {
        cachedBytes += bytes;
      }
    }
  }

  /**
   * A glob as an automaton with a state per token (a literal, {@code ?}, {@code *} or {@code **};
   * {@code **}{@code /} takes two) plus the final one, run over the path with all its live states at
   * once as bits (the Shift-And method): no backtracking, a few word operations per path character.
   *
   * <p>State {@code i} is live when the tokens before {@code i} match the path read so far. A token
   * that consumes a character moves its state up one bit; a star also stays live on what it consumes
   * and can be skipped (it makes the next state live without reading anything). {@code **}{@code /}
   * is "nothing, or anything that ends with /": its entry state can be skipped, past both of its
   * states, or entered into its inner state, which stays live on anything and leaves on a {@code /}
   * but can never be skipped (else it would match anything, not only what ends with /).
   */
  private static final class Glob {

    private static final int LITERAL = 0;
    private static final int ONE = 1; // ?
    private static final int STAR = 2; // *: within one segment
    private static final int STARS = 3; // **: anything
    private static final int DIRS = 4; // entry of **/
    private static final int DIRS_INNER = 5; // inner state of **/

    final int words;
    private final int last; // the final state: the whole glob matched
    private final long[] start;
    private final long[] advanceOnSlash;
    private final long[] advanceOnOther; // ?, for a character that no literal of the glob is
    private final int[] literals; // the glob's literal code points other than '/', sorted
    private final long[][] advanceOnLiteral; // advanceOnOther plus that literal's states
    private final long[] stayOnSlash;
    private final long[] stayOnOther;
    private final long[] skip; // to the next state
    private final long[] skipTwo; // from the entry of **/ past its inner state
    private final int skipPasses; // the longest run of stars: how many skips can chain

    Glob(String glob) {
      int[] kinds = new int[glob.length() + 1];
      int[] chars = new int[glob.length() + 1];
      int n = 0;
      int run = 0;
      int longestRun = 0;
      for (int i = 0; i < glob.length(); ) {
        int c = glob.codePointAt(i);
        int kind;
        if (glob.startsWith("**/", i)) {
          kind = DIRS;
          i += 3;
        } else if (glob.startsWith("**", i)) {
          kind = STARS;
          i += 2;
        } else {
          kind = c == '*' ? STAR : c == '?' ? ONE : LITERAL;
          i += Character.charCount(c);
        }
        // A star next to "**" adds nothing ("**/**" is "**", "**/**/" is "**/", "***" is "**"):
        // folding it keeps every run of stars at most two long ("**/*"), so skips need two passes.
        int previous = n == 0 ? LITERAL : kinds[n - 1];
        if (previous == STARS && kind >= STAR || previous == DIRS_INNER && kind == DIRS) {
          continue;
        }
        if (previous == DIRS_INNER && kind == STARS) {
          n -= 2;
        }
        run = kind >= STAR ? (n > 0 && kinds[n - 1] >= STAR ? run : 0) + 1 : 0;
        longestRun = Math.max(longestRun, run);
        kinds[n] = kind;
        chars[n++] = c;
        if (kind == DIRS) {
          kinds[n++] = DIRS_INNER;
        }
      }
      last = n;
      skipPasses = longestRun;
      words = (n + 1 + 63) / 64;
      start = new long[words];
      advanceOnSlash = new long[words];
      advanceOnOther = new long[words];
      stayOnSlash = new long[words];
      stayOnOther = new long[words];
      skip = new long[words];
      skipTwo = new long[words];
      for (int i = 0; i < n; i++) {
        switch (kinds[i]) {
          case LITERAL -> {
            if (chars[i] == '/') {
              set(advanceOnSlash, i);
            }
          }
          case ONE -> set(advanceOnOther, i);
          case STAR -> {
            set(stayOnOther, i);
            set(skip, i);
          }
          case STARS -> {
            set(stayOnSlash, i);
            set(stayOnOther, i);
            set(skip, i);
          }
          case DIRS -> {
            set(skip, i);
            set(skipTwo, i);
          }
          default -> { // DIRS_INNER
            set(stayOnSlash, i);
            set(stayOnOther, i);
            set(advanceOnSlash, i);
          }
        }
      }
      literals = IntStream.range(0, n).filter(i -> kinds[i] == LITERAL && chars[i] != '/')
          .map(i -> chars[i]).distinct().sorted().toArray();
      advanceOnLiteral = new long[literals.length][];
      for (int k = 0; k < literals.length; k++) {
        advanceOnLiteral[k] = advanceOnOther.clone();
      }
      for (int i = 0; i < n; i++) {
        if (kinds[i] == LITERAL && chars[i] != '/') {
          set(advanceOnLiteral[Arrays.binarySearch(literals, chars[i])], i);
        }
      }
      set(start, 0);
      skip(start);
    }

    boolean matches(String path) {
      long[] live = start.clone();
      long[] next = new long[words];
      for (int p = 0; p < path.length(); ) {
        int c = path.codePointAt(p);
        p += Character.charCount(c);
        long[] advance;
        long[] stay;
        if (c == '/') {
          advance = advanceOnSlash;
          stay = stayOnSlash;
        } else {
          int k = Arrays.binarySearch(literals, c);
          advance = k >= 0 ? advanceOnLiteral[k] : advanceOnOther;
          stay = stayOnOther;
        }
        long carry = 0;
        long any = 0;
        for (int w = 0; w < words; w++) {
          long moved = live[w] & advance[w];
          next[w] = moved << 1 | carry | live[w] & stay[w];
          carry = moved >>> 63;
          any |= next[w];
        }
        if (any == 0) {
          return false;
        }
        skip(next);
        long[] swap = live;
        live = next;
        next = swap;
      }
      return (live[last >>> 6] & 1L << last) != 0;
    }

    /** Makes live every state reachable from a live one by skipping stars. */
    private void skip(long[] states) {
      for (int pass = 0; pass < skipPasses; pass++) {
        long carry = 0;
        long carryTwo = 0;
        for (int w = 0; w < words; w++) {
          long one = states[w] & skip[w];
          long two = states[w] & skipTwo[w];
          states[w] |= one << 1 | carry | two << 2 | carryTwo;
          carry = one >>> 63;
          carryTwo = two >>> 62;
        }
      }
    }

    /** About what this glob holds on the heap. */
    long bytes() {
      return 8L * words * (8 + advanceOnLiteral.length) + 4L * literals.length + 200;
    }

    private static void set(long[] mask, int bit) {
      mask[bit >>> 6] |= 1L << bit;
    }
  }
}
