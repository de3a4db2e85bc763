package dev.gatehouse.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The console as an auditor uses it, in a real browser against a real server over a copy of the
 * bundled policies: a decision's rules as they were when it was decided and how the active ones
 * differ, its replay against a candidate, and a candidate replayed over the newest decisions,
 * listing the outcomes it flips.
 */
class ConsoleAuditTest extends ConsoleFixture {

  static final String HEALTH_RULE = RuleTextApiTest.HEALTH_RULE;
  static final String DESCRIPTION = "@description(\"the issue must have a passing health-check with phase before-merge";
  static final String EDITED = "@description(\"EDITED: the issue must have a passing health-check with phase before-merge";

  @BeforeAll
  static void start() throws IOException {
    use(ConsoleSession.start(policies, data, List.of()));
  }

  @Test
  void aDecisionShowsItsRulesAsTheyWereAndHowTheActiveOnesDiffer() throws IOException {
    String id = decide(RuleTextApiTest.unhealthyMerge("ASWAS-1"));
    String before = activeRevision();
    browser.go("#/decisions/" + id);
    browser.awaitText(By.tagName("h1"), "DENY");
    // Decided by the active revision: nothing to compare.
    assertThat(browser.driver().findElements(By.id("compare"))).isEmpty();
    assertThat(browser.driver().findElements(By.id("rules-note"))).isEmpty();

    // The author rewords the health rule's description (the first of two that begin alike) and adds a
    // line above every rule of the file.
    Path merge = policies.resolve("merge.dslr");
    Files.writeString(merge, "// reworded after ASWAS-1\n" + Files.readString(merge)
        .replaceFirst(Pattern.quote(DESCRIPTION), Matcher.quoteReplacement(EDITED)));
    awaitRevisionOtherThan(before);

    browser.go("#/decisions/" + id);
    browser.awaitText(By.tagName("h1"), "DENY");
    assertThat(browser.await(By.id("rules-note")).getText()).contains("as they were in the revision that decided");
    WebElement step = browser.driver().findElements(By.cssSelector("#trace ol.trace > li")).stream()
        .filter(s -> s.getText().contains(HEALTH_RULE)).findFirst().orElseThrow();
    assertThat(step.findElement(By.cssSelector("pre.rule-source")).getText())
        .contains(DESCRIPTION).doesNotContain("EDITED");

    // The checklist opens each rule to its text as it was.
    WebElement checked = browser.driver().findElements(By.cssSelector("#checks details.check-rule")).stream()
        .filter(d -> d.getText().contains(HEALTH_RULE)).findFirst().orElseThrow();
    assertThat(checked.findElement(By.tagName("pre")).isDisplayed()).isFalse();
    checked.findElement(By.tagName("summary")).click();
    assertThat(checked.findElement(By.tagName("pre")).getText()).contains(DESCRIPTION).doesNotContain("EDITED");
    assertThat(checked.getText()).contains("merge.dslr:");

    browser.await(By.id("compare-button")).click();
    browser.awaitText(By.id("compare-result"), "merge.dslr");
    assertThat(browser.texts(By.cssSelector("#diff-rules li"))).singleElement().asString()
        .contains("changed", HEALTH_RULE, "merge.dslr:");
    WebElement file = browser.driver().findElement(By.cssSelector("#compare-result details.file-diff[data-path='merge.dslr']"));
    assertThat(browser.texts(By.cssSelector("#compare-result .file-diff .diff-del")))
        .anySatisfy(line -> assertThat(line).startsWith("-  " + DESCRIPTION));
    assertThat(browser.texts(By.cssSelector("#compare-result .file-diff .diff-add")))
        .contains("+// reworded after ASWAS-1")
        .anySatisfy(line -> assertThat(line).startsWith("+  " + EDITED));
    assertThat(file.getText()).contains("--- a/merge.dslr", "+++ b/merge.dslr");
    browser.driver().executeScript("document.getElementById('compare').scrollIntoView()");
    browser.screenshot("decision-compare");
  }

  @Test
  void aDecisionReplaysAgainstTheCandidateHeldInTheTab() throws IOException {
    String id = decide(RuleTextApiTest.unhealthyMerge("CANDIDATE-1"));
    browser.go("#/decisions/" + id);
    browser.awaitText(By.tagName("h1"), "DENY");
    browser.driver().executeScript("sessionStorage.removeItem('gatehouse.candidate')");
    browser.go("#/decisions/" + id);
    assertThat(browser.await(By.id("replay-candidate-button")).isEnabled()).isFalse();

    holdCandidateThatWarnsOnAMissingHealthCheck();

    browser.go("#/decisions/" + id);
    browser.await(By.id("replay-candidate-button")).click();
    browser.awaitText(By.id("replay-outcome"), "would change");
    assertThat(browser.driver().findElement(By.id("replay-outcome")).getText()).contains("DENY", "→", "ALLOW");
    assertThat(browser.driver().findElement(By.id("replay-with")).getText())
        .contains("replayed with candidate sha256:", "over the facts it was decided with");
    assertThat(browser.driver().findElement(By.id("replay-added")).getText()).contains("WARN", "health-missing");
    // The three replays, side by side.
    assertThat(browser.texts(By.cssSelector("#replay .replay-buttons button")))
        .containsExactly("Replay as decided", "Replay against the candidate", "Replay against active policies");
  }

  @Test
  void thePoliciesPageListsTheDecisionsACandidateWouldFlip() throws IOException {
    String flips = decide(RuleTextApiTest.unhealthyMerge("FLIP-1"));
    String stays = decide(ConsoleTest.MERGE.formatted("STAY-1", ConsoleTest.HEALTHY.formatted("STAY-1")));
    String execute = decide(ConsoleTest.EXECUTE_DENY.formatted("STAY-2"));

    holdCandidateThatWarnsOnAMissingHealthCheck();
    assertThat(browser.driver().findElement(By.id("flips-limit")).getAttribute("value")).isEqualTo("100");
    browser.driver().findElement(By.id("flips-run")).click();
    browser.awaitText(By.id("flips-summary"), "flip");

    assertThat(browser.driver().findElement(By.id("flips-summary")).getText())
        .contains("newest decisions with candidate sha256:", "over the facts each was decided with");
    WebElement row = browser.await(By.cssSelector("#flips tr[data-id='" + flips + "']"));
    assertThat(row.findElement(By.cssSelector("td[data-label=Subject]")).getText()).isEqualTo("FLIP-1");
    assertThat(row.findElement(By.cssSelector("td[data-label=Gate]")).getText()).isEqualTo("merge");
    assertThat(row.findElement(By.cssSelector("td[data-label=Outcome]")).getText()).isEqualTo("DENY → ALLOW");
    assertThat(row.findElement(By.cssSelector("td[data-label='Reasons changed']")).getText())
        .contains("− health-missing deny:", "+ health-missing warn:");
    assertThat(browser.driver().findElements(By.cssSelector("#flips tr[data-id='" + stays + "']"))).isEmpty();
    assertThat(browser.driver().findElements(By.cssSelector("#flips tr[data-id='" + execute + "']"))).isEmpty();
    browser.driver().executeScript("document.getElementById('candidate').scrollIntoView()");
    browser.screenshot("policies-flips");

    browser.driver().findElement(By.id("candidate-compare")).click();
    browser.awaitText(By.id("candidate-diff"), "merge.dslr");
    assertThat(browser.texts(By.cssSelector("#candidate-diff #diff-rules li"))).singleElement().asString()
        .contains("changed", HEALTH_RULE);

    row.findElement(By.tagName("a")).click();
    browser.awaitText(By.tagName("h1"), "FLIP-1");
  }

  @Test
  void aDecisionWhoseRulesTheLogNoLongerKeepsSaysSoAndShowsTheActiveOnes() throws Exception {
    Path accept = policies.resolve("accept.dslr");
    String before = activeRevision();
    Files.writeString(accept, Files.readString(accept) + "// the revision that decides GONE-1\n");
    awaitRevisionOtherThan(before);
    String gone = activeRevision();
    String id = decide(ConsoleTest.EXECUTE_DENY.formatted("GONE-1"));
    Files.writeString(accept, Files.readString(accept) + "// and the next one\n");
    awaitRevisionOtherThan(gone);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("decisions.db"));
        PreparedStatement delete = c.prepareStatement("DELETE FROM snapshots WHERE revision = ?")) {
      delete.setString(1, gone);
      assertThat(delete.executeUpdate()).isEqualTo(1);
    }

    browser.go("#/decisions/" + id);
    browser.awaitText(By.tagName("h1"), "DENY");
    assertThat(browser.await(By.id("rules-note")).getText())
        .contains("cannot be read", "no policy revision " + gone, "rule texts below are from the active revision");
    assertThat(browser.driver().findElements(By.id("compare"))).isEmpty();
    assertThat(browser.driver().findElement(By.cssSelector("#trace pre.rule-source")).getText()).startsWith("rule \"");
    // The browser logs the 404 it was answered; the page says why instead.
    assertThat(browser.consoleErrors(m -> m.contains("/v1/policies/sha256") && m.contains("status of 404"))).isEmpty();
  }

  /** On the policies page: a candidate started from the active rules, its merge gate warning on a missing health check. */
  private static void holdCandidateThatWarnsOnAMissingHealthCheck() throws IOException {
    browser.go("#/policies");
    browser.await(By.id("candidate-start")).click();
    browser.await(By.cssSelector("#candidate-editor details.candidate-file"));
    String edited = RuleTextApiTest.warnOnMissingHealthCheck(Files.readString(policies.resolve("merge.dslr")));
    browser.driver().executeScript("const area = document.querySelector(\"textarea[data-path='merge.dslr']\");"
        + " area.value = arguments[0]; area.dispatchEvent(new Event('input'));", edited);
    assertThat(browser.driver().executeScript("return JSON.parse(sessionStorage.getItem('gatehouse.candidate'))['merge.dslr']"))
        .isEqualTo(edited);
  }
}
