package dev.gatehouse.bench;

import dev.gatehouse.model.json.FactValidator;
import dev.gatehouse.rules.functions.Globs;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One glob match ({@link Globs#matches}) on the worst inputs the request caps allow (1024
 * characters of glob and of path), the reported pathological glob, and a typical one. Every case
 * fails on the path's last character, so the whole path is read.
 *
 * <ul>
 *   <li>{@code reported}: {@code **}{@code /} ten times then {@code x}, on 30 segments (16 s per
 *       match as a backtracking regex).
 *   <li>{@code longest}: {@code **} then 1022 {@code a}: the most states (1024, 17 words of
 *       masks), all live to the end.
 *   <li>{@code distinct}: {@code **}{@code /*} then 1020 distinct characters: as many states, the
 *       most literals to look up per path character, and two passes to skip stars.
 *   <li>{@code typical}: {@code src/**}{@code /*.java} on a path of six segments.
 * </ul>
 *
 * <p>{@code match} matches one glob again and again (compiled once, as a decision matching many
 * paths against the same globs does). {@code matchUncached} cycles through 512 variants of the glob
 * (its last character changed): those of {@code distinct} (about 140 KB of masks each) do not fit
 * in the 8 MiB glob cache together, so most of those matches compile their glob first; the others
 * fit and stay compiled.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class GlobMatchBenchmark {

  private static final int VARIANTS = 512;

  @Param({"reported", "longest", "distinct", "typical"})
  public String input;

  private String glob;
  private String path;
  private String[] variants;
  private int next;

  @Setup
  public void setUp() {
    int max = FactValidator.MAX_PATH_LENGTH;
    switch (input) {
      case "reported" -> {
        glob = "**/".repeat(10) + "x";
        path = "a/".repeat(29) + "b";
      }
      case "longest" -> {
        glob = "**" + "a".repeat(max - 2);
        path = "a".repeat(max - 1) + "b";
      }
      case "distinct" -> {
        String literals = IntStream.range(0, max - 4).mapToObj(i -> String.valueOf((char) (0x4E00 + i)))
            .collect(Collectors.joining());
        glob = "**/*" + literals;
        path = "a/" + literals.substring(0, literals.length() - 1) + "bb";
      }
      case "typical" -> {
        glob = "src/**/*.java";
        path = "src/main/java/dev/gatehouse/App.jav";
      }
      default -> throw new IllegalArgumentException("unknown input " + input);
    }
    if (glob.length() > max || path.length() > max || Globs.matches(glob, path)) {
      throw new IllegalStateException(input + ": the glob must not match a path within the caps");
    }
    variants = IntStream.range(0, VARIANTS)
        .mapToObj(i -> glob.substring(0, glob.length() - 1) + (char) (0x3400 + i))
        .toArray(String[]::new);
  }

  @Benchmark
  public boolean match() {
    return Globs.matches(glob, path);
  }

  @Benchmark
  public boolean matchUncached() {
    next = (next + 1) % VARIANTS;
    return Globs.matches(variants[next], path);
  }
}
