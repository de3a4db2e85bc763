package dev.gatehouse.rules.functions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PathsTest {

  @ParameterizedTest(name = "''{0}'' -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      src/Main.java                       | src/Main.java
      ./src/Main.java                     | src/Main.java
      src//a/./b.java                     | src/a/b.java
      src/a/                              | src/a
      ./.github/workflows/ci.yml          | .github/workflows/ci.yml
      src/%20a.java                       | src/%20a.java
      src/...                             | src/...
      src/..a/b                           | src/..a/b
      'src/Main.java '                    | 'src/Main.java '
      """)
  void aValidPathIsMatchedInItsNormalForm(String path, String normal) {
    assertThat(Paths.problem(path)).isNull();
    assertThat(Paths.normalised(List.of(path))).containsExactly(normal);
  }

  @ParameterizedTest(name = "''{0}'': {1}")
  @CsvSource(delimiter = '|', textBlock = """
      ''                                  | '' is empty
      '   '                               | '   ' is empty
      /etc/passwd                         | '/etc/passwd' is absolute
      C:/src/Main.java                    | 'C:/src/Main.java' is absolute
      src/../.github/workflows/ci.yml     | 'src/../.github/workflows/ci.yml' holds a '..' segment
      ..                                  | '..' holds a '..' segment
      src/..                              | 'src/..' holds a '..' segment
      src/%2e%2e/.github/ci.yml           | 'src/%2e%2e/.github/ci.yml' holds a percent-encoded '..' segment
      src/%2E./.github/ci.yml             | 'src/%2E./.github/ci.yml' holds a percent-encoded '..' segment
      src/%252e%252e/.github/ci.yml       | 'src/%252e%252e/.github/ci.yml' holds a percent-encoded '..' segment
      src/..%2f.github                    | 'src/..%2f.github' holds the percent-escape '%2f' of a path separator, dot, percent sign or control character
      src/%5c.github                      | 'src/%5c.github' holds the percent-escape '%5c' of a path separator, dot, percent sign or control character
      src/a%00b                           | 'src/a%00b' holds the percent-escape '%00' of a path separator, dot, percent sign or control character
      src/%2egithub                       | 'src/%2egithub' holds the percent-escape '%2e' of a path separator, dot, percent sign or control character
      .                                   | '.' names no file
      ./                                  | './' names no file
      """)
  void anAmbiguousPathIsInvalid(String path, String problem) {
    assertThat(Paths.problem(path)).isEqualTo(problem);
    assertThat(Paths.normalised(List.of(path))).isEmpty();
  }

  @Test
  void controlCharactersAreNamedAndShownOnOneLine() {
    assertThat(Paths.problem("src\\a.java")).isEqualTo("'src\\a.java' holds a backslash");
    assertThat(Paths.problem("src/a.java\n.github/ci.yml")).isEqualTo("'src/a.java\\n.github/ci.yml' holds a line break");
    assertThat(Paths.problem("src/a\r")).isEqualTo("'src/a\\r' holds a line break");
    assertThat(Paths.problem("src/a\0b")).isEqualTo("'src/a\\0b' holds a NUL character");
    assertThat(Paths.problem("src/a\u001bb")).isEqualTo("'src/a\\u001bb' holds a control character");
    assertThat(Paths.problem(null)).isEqualTo("a touched path is missing");
  }

  @Test
  void invalidListsEveryInvalidPathInOrderAndNormalisedDropsThemAndRepeats() {
    List<String> paths = Arrays.asList("src/a", "/b", "./src/a", "src/../c", "src/b");

    assertThat(Paths.invalid(paths)).containsExactly("'/b' is absolute", "'src/../c' holds a '..' segment");
    assertThat(Paths.normalised(paths)).containsExactly("src/a", "src/b");
  }
}
