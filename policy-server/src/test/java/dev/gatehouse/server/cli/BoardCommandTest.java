package dev.gatehouse.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code gatehouse board} over the demo workspace: the table, the Markdown and the JSON of the same board. */
class BoardCommandTest {

  static final String DEMO = Path.of(System.getProperty("gatehouse.root"), "examples", "workspace").toString();
  static final String POLICIES = System.getProperty("gatehouse.policies");

  @Test
  void printsOneRowPerIssueWithTheFirstDenyCode() {
    String table = run("--workspace", DEMO, "--policies", POLICIES, "--at", "2026-06-02T10:00:00Z", "--gate", "execute");

    assertThat(table).contains("issue").contains("execute").doesNotContain("merge").doesNotContain("\u001b[");
    assertThat(table.lines().filter(l -> l.startsWith("DEMO-103"))).singleElement().asString().contains("✗ approval-missing");
    assertThat(table.lines().filter(l -> l.startsWith("DEMO-101"))).singleElement().asString().contains("✓");
  }

  @Test
  void printsMarkdownAndJson() {
    String markdown = run("--workspace", DEMO, "--policies", POLICIES, "--at", "2026-06-02T10:00:00Z", "--markdown");
    assertThat(markdown).contains("| issue | status | accept | execute | merge | validate |")
        .contains("| DEMO-101 | ready | ✅ | ✅ | ✅ |");

    String json = run("--workspace", DEMO, "--policies", POLICIES, "--at", "2026-06-02T10:00:00Z", "--json");
    assertThat(json).contains("\"gates\"").contains("\"approval-missing\"");
  }

  private static String run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] all = new String[args.length + 1];
    all[0] = "board";
    System.arraycopy(args, 0, all, 1, args.length);
    int code = Main.run(new PrintWriter(out), new PrintWriter(err), all);
    assertThat(code).as(err.toString()).isZero();
    return out.toString();
  }
}
