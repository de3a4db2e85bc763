package dev.gatehouse.server.http;

import static dev.gatehouse.server.http.RunningServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The reviewer console in a real browser against a real server over a copy of the bundled policies:
 * what a reviewer reads on each page, the filters, live updates, replay after a rule edit, and a clean
 * browser console throughout.
 */
class ConsoleTest extends ConsoleFixture {

  /** Denied twice: no task contract, and an actor other than the harness. */
  static final String EXECUTE_DENY = """
      {"gate": "execute", "subject": "%s", "at": "2026-06-02T10:00:00Z", "actor": "someone-else",
       "facts": {"issues": [{"id": "%1$s", "title": "Add <b>bold</b> markup", "type": "AFK", "status": "ready"}]}}
      """;

  /** Run and accepted by the operator; allowed only when {@code %s} adds a passing health check before merge. */
  static final String MERGE = """
      {"gate": "merge", "subject": "%s", "at": "2026-06-02T10:00:00Z", "actor": "merge-bot",
       "facts": {"issues": [{"id": "%1$s", "title": "t", "type": "AFK", "status": "validated"}],
                 "runs": [{"id": "R-1", "issue": "%1$s", "via": "cto-harness", "runtimeDefaultActivation": false,
                           "firstMutationAt": "2026-06-01T10:00:00Z", "touchedPaths": ["src/a.java"]}],
                 "evidence": [{"id": "E-1", "issue": "%1$s", "kind": "operator-acceptance", "path": "a.json",
                               "passed": true, "phase": "after-run", "recordedAt": "2026-06-01T11:00:00Z"}%s]}}
      """;

  static final String HEALTHY = """
      , {"id": "E-2", "issue": "%s", "kind": "health-check", "path": "h.json", "passed": true,
         "phase": "before-merge", "recordedAt": "2026-06-01T12:00:00Z"}""";

  @BeforeAll
  static void start() throws IOException {
    use(ConsoleSession.start(policies, data, List.of()));
  }

  @Test
  void aDenyShowsItsReasonsFailedChecksAndTraceInTheAuthorsWords() {
    String id = decide(EXECUTE_DENY.formatted("CTO-9"));

    browser.go("#/decisions/" + id);
    browser.awaitText(By.tagName("h1"), "DENY");

    assertThat(browser.texts(By.cssSelector("#reasons .code"))).containsExactlyInAnyOrder("contract-missing", "actor-not-harness");
    assertThat(browser.texts(By.cssSelector("#checks tr.check-failed td[data-label=Rule]")))
        .containsExactlyInAnyOrder("execution needs a task contract", "execution runs only through cto-harness");
    assertThat(browser.texts(By.cssSelector("#checks tr.check-passed"))).hasSizeGreaterThan(5);
    List<WebElement> steps = browser.driver().findElements(By.cssSelector("#trace ol.trace > li"));
    assertThat(steps).hasSize(2);
    WebElement actorStep = steps.stream().filter(s -> s.getText().contains("execution runs only through cto-harness")).findFirst().orElseThrow();
    assertThat(actorStep.getText()).contains("execute.dslr:");
    // The DSL sentence as written, not the DRL it expands to.
    assertThat(actorStep.findElement(By.cssSelector("pre.rule-source")).getText())
        .contains("the request comes from an actor other than cto-harness")
        .doesNotContain("Request(");
    assertThat(browser.texts(By.cssSelector("#facts .fact-list li > div"))).contains("issue:CTO-9 from request (principal anonymous)");
    // Data is text, never markup: the title's tags show as typed.
    assertThat(browser.driver().findElement(By.cssSelector("#facts")).getText()).contains("Add <b>bold</b> markup");
    assertThat(browser.driver().findElements(By.cssSelector("#facts b"))).isEmpty();
    assertThat(browser.driver().findElement(By.id("summary")).getText()).contains(activeRevision());
    browser.screenshot("decision");
  }

  @Test
  void filtersNarrowTheLog() {
    String deny = decide(EXECUTE_DENY.formatted("FILTER-1"));
    String allow = decide(MERGE.formatted("FILTER-2", HEALTHY.formatted("FILTER-2")));
    browser.go("#/decisions");
    browser.await(row(allow));
    assertThat(browser.driver().findElements(row(deny))).hasSize(1);
    browser.screenshot("decisions");

    type("f-gate", "merge");
    browser.awaitGone(row(deny));
    assertThat(browser.texts(By.cssSelector("#decisions td[data-label=Gate]"))).containsOnly("merge");
    assertThat(browser.driver().findElements(row(allow))).hasSize(1);

    // Each filter starts from the whole log, drawn anew: a row the last filter hid says it is.
    browser.go("#/decisions");
    browser.await(row(deny));
    browser.driver().findElement(By.cssSelector("#f-outcome option[value=DENY]")).click();
    browser.driver().findElement(By.cssSelector("#filters button[type=submit]")).click();
    browser.awaitGone(row(allow));
    assertThat(browser.texts(By.cssSelector("#decisions td[data-label=Outcome]"))).containsOnly("DENY");

    browser.go("#/decisions");
    browser.await(row(allow));
    type("f-subject", "FILTER-1");
    browser.awaitGone(row(allow));
    assertThat(browser.driver().findElements(By.cssSelector("#decisions tbody tr"))).hasSize(1);

    browser.go("#/decisions");
    browser.await(row(allow));
    setDateTime("f-from", "2099-01-01T00:00:00");
    browser.driver().findElement(By.cssSelector("#filters button[type=submit]")).click();
    browser.awaitText(By.id("log-status"), "No decisions match these filters.");
    assertThat(browser.driver().getCurrentUrl()).contains("from=2099-01-01T00%3A00%3A00Z");
  }

  @Test
  void newDecisionsAppearWithoutAReload() {
    browser.go("#/decisions?subject=LIVE-1");
    browser.awaitText(By.id("log-status"), "No decisions match");
    browser.driver().executeScript("window.notReloaded = true");

    String first = decide(EXECUTE_DENY.formatted("LIVE-1"));
    browser.await(row(first));
    String second = decide(EXECUTE_DENY.formatted("LIVE-1"));
    browser.await(row(second));

    assertThat(browser.driver().findElements(By.cssSelector("#decisions tbody tr")).stream()
        .map(r -> r.getAttribute("data-id")).toList()).containsExactly(second, first);
    assertThat(browser.driver().executeScript("return window.notReloaded")).isEqualTo(true);
  }

  @Test
  void replayShowsWhatARuleEditWouldChangeAndThatTheDecisionReproducesAsDecided() throws IOException {
    String id = decide(MERGE.formatted("REPLAY-1", ""));
    assertThat(json(server.get("/v1/decisions/" + id)).path("decision").path("outcome").asText()).isEqualTo("DENY");
    String before = activeRevision();

    // The author turns the missing health check from a deny into a warning (the DSL has the warn sentence).
    Path merge = policies.resolve("merge.dslr");
    Files.writeString(merge, RuleTextApiTest.warnOnMissingHealthCheck(Files.readString(merge)));
    awaitRevisionOtherThan(before);

    browser.go("#/decisions/" + id);
    browser.await(By.id("replay-button")).click();
    browser.awaitText(By.id("replay-outcome"), "would change");
    assertThat(browser.driver().findElement(By.id("replay-outcome")).getText()).contains("DENY", "→", "ALLOW");
    assertThat(browser.driver().findElement(By.id("replay-removed")).getText()).contains("DENY", "health-missing");
    assertThat(browser.driver().findElement(By.id("replay-added")).getText()).contains("WARN", "health-missing");
    assertThat(browser.driver().findElement(By.id("replay-checks")).getText())
        .contains("merging needs a passing health check before merge", "failed → warned");
    browser.driver().executeScript("document.getElementById('replay').scrollIntoView()");
    browser.screenshot("replay");

    // As decided, the edit does not count: the revision that decided comes from the log's snapshot.
    browser.await(By.id("replay-as-decided-button")).click();
    browser.awaitText(By.id("replay-faults"), "Reproduced exactly");
    assertThat(browser.driver().findElement(By.id("replay-result")).getText()).contains("Replayed with sha256:");
    browser.screenshot("replay-as-decided");
  }

  @Test
  void thePoliciesPageShowsEachGatesRulesWithTheirText() {
    browser.go("#/policies");
    browser.await(By.id("gate-execute"));

    assertThat(browser.driver().findElement(By.id("active")).getText()).contains(activeRevision(), "accept, execute, merge, validate");
    WebElement execute = browser.driver().findElement(By.id("gate-execute"));
    assertThat(execute.getText()).contains("execution needs a recorded approval", "approval-missing", "execute.dslr:");
    assertThat(execute.findElements(By.cssSelector("pre.rule-source")).get(0).getText()).startsWith("rule \"");
    assertThat(browser.driver().findElements(By.id("reload-error"))).isEmpty();
    browser.screenshot("policies");
  }

  @Test
  void theWorkspacePageSaysWhenTheServerHasNone() {
    browser.go("#/workspace");

    browser.awaitText(By.id("view"), "this server uses no workspace");
    // The browser logs the 404 it was answered; the page says why instead.
    assertThat(browser.consoleErrors(m -> m.contains("/v1/workspace") && m.contains("status of 404"))).isEmpty();
  }

  @Test
  void theBoardPageSaysWhenTheServerHasNoWorkspace() {
    browser.go("#/board");

    browser.awaitText(By.id("board-error"), "this server uses no workspace");
    assertThat(browser.driver().findElements(By.id("board-filters"))).isEmpty();
    assertThat(browser.consoleErrors(m -> m.contains("/v1/board") && m.contains("status of 404"))).isEmpty();
  }

  @Test
  void aBrokenEditShowsAsTheLastReloadErrorOverTheStillActiveSet() throws IOException {
    Path broken = policies.resolve("broken.drl");
    Files.writeString(broken, "package broken;\nrule \"half a rule\"\nwhen\n  Nonexistent( )\nthen\nend\n");
    try {
      awaitPolicies(p -> p.has("lastReloadError"));
      browser.go("#/policies");
      assertThat(browser.await(By.id("reload-error")).getText()).contains("did not compile", "broken.drl:4:3 error: unknown fact type");
      assertThat(browser.driver().findElements(By.id("gate-execute"))).hasSize(1);
    } finally {
      Files.delete(broken);
      awaitPolicies(p -> !p.has("lastReloadError"));
    }
  }

  @Test
  void worksByKeyboardAndAtPhoneWidth() {
    String id = decide(EXECUTE_DENY.formatted("KEYS-1"));
    browser.go("#/decisions");
    browser.await(row(id));
    browser.viewport(390, 844);
    try {
      browser.screenshot("decisions-phone");
      WebElement gate = browser.driver().findElement(By.id("f-gate"));
      assertThat(browser.driver().findElement(By.cssSelector("label[for=f-gate]")).getText()).isEqualTo("Gate");
      gate.sendKeys("execute", Keys.ENTER);
      browser.awaitText(By.id("log-status"), "shown");
      browser.await(row(id)).findElement(By.tagName("a")).sendKeys(Keys.ENTER);
      browser.awaitText(By.tagName("h1"), "KEYS-1");
      Object overflow = browser.driver().executeScript(
          "return document.documentElement.scrollWidth > document.documentElement.clientWidth");
      assertThat(overflow).as("the decision page scrolls sideways at phone width").isEqualTo(false);
      browser.screenshot("decision-phone");
    } finally {
      browser.viewport(1280, 800);
    }
  }

  private static void type(String field, String text) {
    WebElement input = browser.driver().findElement(By.id(field));
    input.clear();
    input.sendKeys(text, Keys.ENTER);
  }

  /** datetime-local fields take keystrokes in the browser's locale format; the value is set directly. */
  private static void setDateTime(String field, String value) {
    browser.driver().executeScript("arguments[0].value = arguments[1]", browser.driver().findElement(By.id(field)), value);
  }

  private static By row(String id) {
    return By.cssSelector("#decisions tr[data-id='" + id + "']");
  }
}
