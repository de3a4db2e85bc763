package dev.gatehouse.rules.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.model.Issue;
import dev.gatehouse.rules.CompileResult;
import dev.gatehouse.rules.EvaluationLimits;
import dev.gatehouse.rules.PolicyFiles;
import dev.gatehouse.rules.drools.DroolsPolicyCompiler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IssuesTest {

  static Issues of(Issue... issues) {
    Issues all = new Issues();
    all.addAll(List.of(issues));
    return all;
  }

  static Issue issue(String id, String... blockedBy) {
    return new Issue(id, null, "AFK", "validated", List.of(blockedBy), null, null, null, null);
  }

  @Test
  void anIssueBlockedByItselfIsACycle() {
    assertThat(of(issue("A", "B", "A"), issue("B")).cycleFrom("A")).containsExactly("A is blocked by A");
  }

  @Test
  void aCycleThroughOtherIssuesNamesTheShortestOne() {
    Issues all = of(issue("A", "B"), issue("B", "C", "A"), issue("C", "A"));

    assertThat(all.cycleFrom("A")).containsExactly("A is blocked by B, which is blocked by A");
    assertThat(of(issue("A", "B"), issue("B", "C"), issue("C", "A")).cycleFrom("A"))
        .containsExactly("A is blocked by B, which is blocked by C, which is blocked by A");
  }

  @Test
  void noCycleThroughTheIssueIsNoCycle() {
    assertThat(of(issue("A", "B"), issue("B", "C"), issue("C")).cycleFrom("A")).isEmpty();
    // B and C block each other, but nothing leads back to A.
    assertThat(of(issue("A", "B"), issue("B", "C"), issue("C", "B")).cycleFrom("A")).isEmpty();
    assertThat(of(issue("A", "X")).cycleFrom("A")).as("an unknown blocker ends the chain").isEmpty();
    assertThat(of(issue("A", "A")).cycleFrom("Z")).as("an unknown issue").isEmpty();
  }

  @Test
  void aLongChainIsFollowedToItsEnd() {
    List<Issue> chain = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      chain.add(issue("I-" + i, "I-" + (i + 1)));
    }
    chain.add(issue("I-5000", "I-0"));
    Issues all = of(chain.toArray(Issue[]::new));

    assertThat(all.cycleFrom("I-0")).singleElement().asString()
        .startsWith("I-0 is blocked by I-1, which is blocked by I-2").endsWith("which is blocked by I-0");
    assertThat(all.cycleFrom("I-17")).singleElement().asString().startsWith("I-17 is blocked by I-18");
  }

  @Test
  void aRuleCollectsTheIssuesAndAsksForACycle(@TempDir Path dir) throws Exception {
    CompileResult result = compile(dir, "$cycle : String( ) from $issues.cycleFrom( $request.subject )");

    assertThat(result.errors()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"$issues.clear( ) == null", "$issues.add( $request ) == true", "$issues.size( ) > 0"})
  void aRuleCannotChangeOrReadTheCollectionOtherThanThroughItsOwnMethods(String call, @TempDir Path dir) throws Exception {
    CompileResult result = compile(dir, "eval( " + call + " )");

    assertThat(result.succeeded()).isFalse();
    assertThat(result.errors()).singleElement().satisfies(e -> assertThat(e.message()).contains("is not allowed in rules"));
  }

  private static CompileResult compile(Path dir, String condition) throws Exception {
    Files.writeString(dir.resolve("cycle.drl"), """
        package gatehouse.test.cycle;
        import dev.gatehouse.model.*;
        import dev.gatehouse.rules.functions.Issues;
        import function dev.gatehouse.rules.drools.RuleActions.deny;
        rule "cycle" @gate("validate") @code("blocker-cycle") @description("x")
        when
          $request : Request( )
          $issues : Issues( ) from collect( Issue( ) )
          %s
        then
          deny(kcontext, "x");
        end
        """.formatted(condition));
    return new DroolsPolicyCompiler(EvaluationLimits.DEFAULT).compile(PolicyFiles.read(dir));
  }
}
