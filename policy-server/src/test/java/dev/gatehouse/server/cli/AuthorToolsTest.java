package dev.gatehouse.server.cli;

import static dev.gatehouse.server.cli.CliTest.gatehouse;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The policy author's tools: coverage, lint in check, the DSL view, and the sandbox as check reports it. */
class AuthorToolsTest {

  final String policies = CliTest.resource("policies").toString();

  @Test
  void testWithCoverageCountsCasesPerRuleAndListsRulesNoCaseFires() {
    CliTest.Run run = gatehouse("test", "--coverage", policies);

    // The bundled CLI suite has one deliberately failing case, hence exit 1.
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out())
        .contains("coverage: 1 of 4 rules fired by a case")
        .contains("     2  basic.drl:16  approval must be recorded")
        .contains("never fired:\n  basic.drl:7  issue must be known\n");
  }

  @Test
  void checkPrintsLintAsWarningsAndFailsOnThemWhenStrict() {
    CliTest.Run run = gatehouse("check", policies);
    CliTest.Run strict = gatehouse("check", "--strict", policies);

    assertThat(run.exit()).isZero();
    assertThat(run.out())
        .contains("basic.drl:7:1: warning: code 'issue-unknown' of rule 'issue must be known' is expected by no policy test")
        .contains("basic.drl:36:1: warning: rule 'merge has no rules that deny' has no @remedy")
        .contains(", 4 warning(s)");
    assertThat(strict.exit()).isEqualTo(1);
    assertThat(strict.err())
        .contains("basic.drl:7:1: code 'issue-unknown' of rule 'issue must be known' is expected by no policy test")
        .contains("basic.drl:36:1: rule 'merge has no rules that deny' has no @remedy")
        .contains("4 lint error(s)");
  }

  @Test
  void checkRefusesARuleThatEscapesTheSandbox(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("exit.drl"), """
        package gatehouse.exit;
        import dev.gatehouse.model.*;
        rule "exit" @gate("execute") @code("x") @description("x")
        when
          Request( gate == System.getenv("HOME") )
        then
        end
        """);

    CliTest.Run run = gatehouse("check", dir.toString());

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains("exit.drl:5:20: 'java.lang.System' is not allowed in rules");
  }

  @Test
  void dslShowsEachSentenceWithItsExpansion(@TempDir Path dir) throws Exception {
    Path rules = Files.createDirectories(dir.resolve("rules"));
    Files.writeString(dir.resolve("words.dsl"), """
        [when]a request is made=$request : Request()
        [then]deny "{m}"=deny(kcontext, "{m}");
        """);
    Files.writeString(rules.resolve("gate.dslr"), """
        rule "r"
        when
          a request is made
        then
          deny "no"
        end
        """);

    CliTest.Run run = gatehouse("dsl", rules.resolve("gate.dslr").toString(), "--policies", dir.toString());

    assertThat(run.exit()).isZero();
    assertThat(run.out()).contains("""
           3    a request is made
                => $request : Request()
           4  then
           5    deny "no"
                => deny(kcontext, "no");
           6  end
        """);
  }

  @Test
  void dslWithoutDslFilesIsBadInput(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("gate.dslr"), "rule \"r\" when then end\n");

    assertThat(gatehouse("dsl", dir.resolve("gate.dslr").toString()).exit()).isEqualTo(2);
  }
}
