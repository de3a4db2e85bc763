package dev.gatehouse.rules.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.gatehouse.model.json.FactValidator;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class GlobsTest {

  @ParameterizedTest(name = "''{0}'' ~ ''{1}'': {2}")
  @CsvSource(delimiter = '|', textBlock = """
      src/**         | src/a/b.java           | true
      src/**         | src/                   | true
      src/**         | src                    | false
      src/*          | src/Main.java          | true
      src/*          | src/                   | true
      src/*          | src/a/b.java           | false
      docs/*.md      | docs/README.md         | true
      docs/*.md      | docs/guide/intro.md    | false
      .github/**     | .github/workflows/ci.yml | true
      src/**/x       | src/x                  | true
      src/**/x       | src/a/b/x              | true
      src/**/x       | src/ax                 | false
      **/x           | x                      | true
      **/x           | a/b/x                  | true
      **/x           | ax                     | false
      **/            | ''                     | true
      **/            | a/b/                   | true
      **/            | a                      | false
      src/**/        | src/a/                 | true
      src/**/        | src/a                  | false
      **             | ''                     | true
      **             | a/b/c                  | true
      *              | ''                     | true
      *              | abc                    | true
      *              | a/b                    | false
      */             | a/                     | true
      ?              | a                      | true
      ?              | /                      | false
      ?              | ''                     | false
      ?              | ab                     | false
      a?c            | abc                    | true
      a?c            | a/c                    | false
      a*b            | a/b                    | false
      a**b           | a/x/b                  | true
      **.java        | src/a/B.java           | true
      **/*.java      | Main.java              | true
      **/*.java      | src/a/Main.java        | true
      **/*.java      | src/a/Main.jav         | false
      src/**/*.java  | src/Main.java          | true
      **/**          | a/b                    | true
      **/**/         | ''                     | true
      **/**/         | a                      | false
      ***            | a/b                    | true
      ***/           | a/b/                   | true
      ***/           | a/b                    | false
      SRC/**         | src/a                  | false
      src/**         | SRC/a                  | false
      a.b            | axb                    | false
      a+b            | a+b                    | true
      [ab]           | a                      | false
      [ab]           | [ab]                   | true
      {a,b}          | a                      | false
      {a,b}          | {a,b}                  | true
      a\\b           | a\\b                   | true
      a\\b           | ab                     | false
      ''             | ''                     | true
      ''             | a                      | false
      ?              | 😀                     | true
      😀/*           | 😀/a                   | true
      """)
  void matchesAsDocumented(String glob, String path, boolean expected) {
    assertThat(Globs.matches(glob, path)).isEqualTo(expected);
  }

  static Stream<Arguments> pathological() {
    int max = FactValidator.MAX_PATH_LENGTH;
    String thirtySegments = "a/".repeat(29);
    String longest = "a".repeat(max);
    return Stream.of(
        // The reported case: 16 s per match as a backtracking regex.
        Arguments.of("**/".repeat(10) + "x", thirtySegments + "b", false),
        Arguments.of("**/".repeat(10) + "x", thirtySegments + "x", true),
        Arguments.of("**/".repeat(341) + "x", "a/".repeat(511) + "b", false),
        Arguments.of("a*".repeat(20) + "b", longest, false),
        Arguments.of("**" + "a".repeat(max - 2), longest.substring(1) + "b", false),
        Arguments.of("**" + "a".repeat(max - 2), longest, true),
        Arguments.of("*?".repeat(max / 2), longest, true),
        Arguments.of("**a".repeat(max / 3), "ab".repeat(max / 2), false));
  }

  @ParameterizedTest
  @MethodSource("pathological")
  void matchesPathologicalGlobsInLinearTime(String glob, String path, boolean expected) {
    assertTimeoutPreemptively(Duration.ofSeconds(1), () -> assertThat(Globs.matches(glob, path)).isEqualTo(expected));
  }

  @Test
  void starsMatchAnyCharacterButSlashLineBreaksToo() {
    // The regex this replaced let ** stop at a line break, though * and ? did not.
    assertThat(Globs.matches("src/**", "src/a\nb")).isTrue();
    assertThat(Globs.matches("src/*", "src/a\nb")).isTrue();
    assertThat(Globs.matches("a?b", "a\nb")).isTrue();
  }

  @Test
  void matchesAnyOfAListSkippingMissingGlobs() {
    assertThat(Globs.matchesAny(Arrays.asList(null, "docs/*", "src/**"), "src/a/b")).isTrue();
    assertThat(Globs.matchesAny(List.of("docs/*"), "src/a")).isFalse();
    assertThat(Globs.matchesAny(List.of(), "src/a")).isFalse();
    assertThat(Globs.matches(null, "a")).isFalse();
    assertThat(Globs.matches("a", null)).isFalse();
  }

  @Test
  void refusesGlobsAndPathsLongerThanFactsMayHold() {
    String tooLong = "a".repeat(FactValidator.MAX_PATH_LENGTH + 1);

    assertThatThrownBy(() -> Globs.matches(tooLong, "a"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cannot match a glob of 1025 characters against a path of 1: at most 1024 each");
    assertThatThrownBy(() -> Globs.matches("**", tooLong)).isInstanceOf(IllegalArgumentException.class);
  }
}
