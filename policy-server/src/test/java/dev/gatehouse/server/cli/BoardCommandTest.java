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
  void listsTheRemediesOfEveryDeniedCellUnderTheTable() {
    String table = run("--workspace", DEMO, "--policies", POLICIES, "--at", "2026-06-02T10:00:00Z");

    String remedies = table.substring(table.indexOf("\nremedies (what clears each denied cell):\n"));
    assertThat(remedies)
        .contains("\n  DEMO-103 execute: record an approval of scope execute by JP or Hermes for DEMO-103\n")
        .contains("\n  CTO-WORK-050 validate: ")
        .contains("validate CTO-WORK-049 first")
        .doesNotContain("DEMO-101 execute");
    long denied = table.lines().takeWhile(l -> !l.isEmpty()).skip(2)
        .mapToLong(l -> l.chars().filter(c -> c == '✗').count()).sum();
    assertThat(remedies.lines().filter(l -> l.startsWith("  "))).hasSize((int) denied);

    String markdown = run("--workspace", DEMO, "--policies", POLICIES, "--at", "2026-06-02T10:00:00Z", "--markdown");
    assertThat(markdown).contains("\nRemedies:\n\n- ").contains("- DEMO-103 execute: record an approval of scope execute");
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
