package dev.gatehouse.rules.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.model.Issue;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

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
}
