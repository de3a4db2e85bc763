package dev.gatehouse.server.http;

import static dev.gatehouse.server.http.RunningServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console's board in a real browser against a real server over the bundled policies and a copy
 * of the demo workspace: the matrix shows the outcomes {@code GET /v1/board} gives, the filters narrow
 * it and live in the address, a cell opens its decision (reasons with remedies, checks, trace, facts
 * with their files and lines), the workspace audit sits on its rows, and it all works by keyboard and
 * at phone width. {@code -Dgatehouse.docs=true} also writes the README's screenshots to {@code docs/}.
 */
class ConsoleBoardTest extends ConsoleFixture {

  static final String AT = "2026-06-02T10:00:00Z";
  static final String BOARD = "#/board?at=" + AT;
  /** The screenshots the README shows. */
  static final Set<String> DOCS = Set.of("board", "board-phone");

  /**
   * A warning with a remedy on one cell (the outcome stays as the demo README says), so that the
   * page's remedies are tested whether or not the default rules give any.
   */
  static final String ADVICE = """
      package gatehouse.boardadvice;

      import dev.gatehouse.model.Issue;
      import dev.gatehouse.model.Request;
      import function dev.gatehouse.rules.drools.RuleActions.warn;

      rule "board test: a reviewer can approve DEMO-103"
        @gate("execute") @code("reviewer-advice") @remedy("ask the reviewer of [issue] to record an execute approval")
      when
        $request : Request( gate == "execute", subject == "DEMO-103" )
        $issue : Issue( id == $request.subject )
      then
        warn(kcontext, "[issue] has a reviewer who can approve it");
      end
      """;

  /** An issue the planning reader cannot read: a workspace problem no row of the board can carry. */
  static final String UNREADABLE = """
      # More issues
      ### DEMO-900 - A half-written issue
      Type: AFK
      Status: candidate.
      Blocks: DEMO-101
      """;

  @TempDir static Path dir;
  static Path workspace;

  @BeforeAll
  static void start() throws IOException {
    workspace = WorkspaceApiTest.copyOfDemo(dir);
    Files.writeString(workspace.resolve("planning/MORE-ISSUES.md"), UNREADABLE);
    Files.writeString(policies.resolve("board-advice.drl"), ADVICE);
    use(ConsoleSession.start(policies, data, workspace));
  }

  // Before the fixture's check of the browser console (a subclass's @AfterEach runs first).
  @AfterEach
  void laptopScreen() {
    browser.viewport(1280, 800);
  }

  @Test
  void theMatrixShowsTheOutcomeOfEveryIssueAtEveryGateWithTheAuditOnItsRows() throws IOException {
    JsonNode board = json(console.server().get("/v1/board?at=" + AT));
    open(BOARD);
    browser.await(By.id("board"));

    assertThat(browser.texts(By.cssSelector("#board thead th"))).containsExactly("Issue", "accept", "execute", "merge", "validate");
    assertThat(rowIds()).hasSize(10).containsExactlyElementsOf(issues(board));
    for (JsonNode row : board.path("rows")) {
      for (String gate : List.of("accept", "execute", "merge", "validate")) {
        JsonNode cell = row.path("cells").path(gate);
        WebElement shown = cell(row.path("issue").asText(), gate);
        assertThat(shown.getAttribute("data-outcome")).as(row.path("issue") + " " + gate).isEqualTo(cell.path("outcome").asText());
        assertThat(shown.getText()).as(row.path("issue") + " " + gate)
            .isEqualTo(cell.path("outcome").asText().equals("ALLOW") ? "✓" : "✗ " + firstDeny(cell) + more(cell));
      }
    }
    // The demo README's cases.
    assertThat(cell("DEMO-101", "execute").getText()).isEqualTo("✓");
    assertThat(cell("DEMO-103", "execute").getText()).isEqualTo("✗ approval-missing");
    assertThat(cell("DEMO-103", "execute").getAttribute("aria-label")).isEqualTo("DEMO-103 execute: DENY approval-missing");
    assertThat(cell("DEMO-102", "validate").getText()).isEqualTo("✓");
    assertThat(cell("DEMO-105", "merge").getText()).startsWith("✗ ").contains("+");

    // Findings on the rows of their issues; what concerns no row in a note above the matrix.
    assertThat(row("CTO-WORK-050").findElement(By.cssSelector("th .finding")).getText())
        .contains("Audit: claims validated; validate denies", "blocker-not-validated", "(CTO-FIRST-REAL-GOVERNED-WORKFLOW-ISSUES.md:");
    assertThat(row("DEMO-106").findElement(By.cssSelector("th .finding")).getText()).contains("Audit: claims candidate; execute denies blocker-unknown", "(planning/DEMO-ISSUES.md:");
    assertThat(row("DEMO-101").findElements(By.cssSelector(".finding"))).isEmpty();
    assertThat(browser.driver().findElement(By.id("board-audit")).getText())
        .contains("planning/MORE-ISSUES.md:5 issue DEMO-900 is unreadable");
    assertThat(browser.driver().findElement(By.id("board-summary")).getText())
        .contains("2026-06-02 10:00:00 UTC", "cto-harness", board.path("policy").path("revision").asText());
    assertThat(pageOverflows()).as("the board scrolls sideways at 1280 px").isFalse();
    screenshot("board");
  }

  @Test
  void filtersNarrowTheRowsAndLiveInTheAddress() {
    JsonNode board = json(console.server().get("/v1/board?at=" + AT));
    open(BOARD);
    browser.await(By.id("board"));

    select("b-gate", "execute");
    select("b-outcome", "deny");
    WebElement text = browser.driver().findElement(By.id("b-q"));
    text.sendKeys("approval", Keys.ENTER);
    browser.awaitText(By.id("board-status"), "match these filters");

    assertThat(address()).contains("gate=execute", "outcome=deny", "q=approval", "at=" + AT);
    assertThat(browser.texts(By.cssSelector("#board thead th"))).containsExactly("Issue", "execute");
    List<String> expected = new ArrayList<>();
    for (JsonNode row : board.path("rows")) {
      JsonNode cell = row.path("cells").path("execute");
      boolean codes = false;
      for (JsonNode reason : cell.path("reasons")) {
        codes |= reason.path("code").asText().contains("approval");
      }
      if (cell.path("outcome").asText().equals("DENY") && (codes || row.path("title").asText().toLowerCase(Locale.ROOT).contains("approval"))) {
        expected.add(row.path("issue").asText());
      }
    }
    assertThat(expected).contains("DEMO-103").doesNotContain("DEMO-101");
    assertThat(rowIds()).containsExactlyElementsOf(expected);
    // The control that applied the filters keeps the focus on the filtered board.
    assertThat(browser.driver().switchTo().activeElement().getAttribute("id")).isEqualTo("b-q");

    // A link opens the same filtered board; the text matches ids and titles too.
    open("#/board?at=" + AT + "&outcome=allow&q=demo-10");
    browser.await(By.id("board"));
    assertThat(rowIds()).isNotEmpty().allMatch(id -> id.startsWith("DEMO-10"));
    assertThat(browser.driver().findElements(By.cssSelector("#board button.cell[data-outcome=ALLOW]"))).isNotEmpty();
    assertThat(browser.driver().findElement(By.id("b-outcome")).getAttribute("value")).isEqualTo("allow");

    open("#/board?at=" + AT + "&q=no-such-thing");
    browser.awaitText(By.id("board-status"), "No issue of 10 matches these filters.");
    assertThat(browser.driver().findElements(By.id("board"))).isEmpty();
  }

  @Test
  void aCellOpensItsDecisionWithReasonsRemediesChecksTraceAndSources() {
    open(BOARD);
    browser.await(By.id("board"));
    cell("DEMO-103", "execute").click();

    WebElement dialog = browser.await(By.cssSelector("#explanation #reasons"));
    WebElement explanation = browser.driver().findElement(By.id("explanation"));
    assertThat(explanation.findElement(By.id("explanation-title")).getText()).contains("DENY", "execute · DEMO-103");
    assertThat(dialog.findElements(By.cssSelector(".code")).stream().map(WebElement::getText).toList())
        .contains("approval-missing", "reviewer-advice");
    WebElement advice = dialog.findElements(By.cssSelector("li.reason")).stream()
        .filter(r -> r.getText().contains("reviewer-advice")).findFirst().orElseThrow();
    assertThat(advice.findElement(By.cssSelector(".remedy")).getText())
        .isEqualTo("Remedy: ask the reviewer of DEMO-103 to record an execute approval");
    // Every remedy the server gives is shown, and none that it does not.
    JsonNode reasons = json(console.server().get("/v1/board?at=" + AT + "&gate=execute&issue=DEMO-103"))
        .path("rows").path(0).path("cells").path("execute").path("reasons");
    List<WebElement> items = dialog.findElements(By.cssSelector("li.reason"));
    assertThat(items).hasSize(reasons.size());
    for (int i = 0; i < reasons.size(); i++) {
      List<WebElement> remedy = items.get(i).findElements(By.cssSelector(".remedy"));
      if (reasons.path(i).has("remedy")) {
        assertThat(remedy).singleElement().extracting(WebElement::getText).isEqualTo("Remedy: " + reasons.path(i).path("remedy").asText());
      } else {
        assertThat(remedy).isEmpty();
      }
    }
    assertThat(explanation.findElement(By.id("checks")).getText()).contains("execution needs a recorded approval");
    assertThat(explanation.findElements(By.cssSelector("#checks tr.check-passed"))).hasSizeGreaterThan(5);
    assertThat(explanation.findElement(By.cssSelector("#trace ol.trace")).getText())
        .contains("execution needs a recorded approval", "execute.dslr:");
    assertThat(explanation.findElement(By.cssSelector("#trace pre.rule-source")).getText()).startsWith("rule \"");
    assertThat(browser.texts(By.cssSelector("#explanation #facts .fact-list li > div")))
        .anyMatch(f -> f.matches("issue:DEMO-103 from planning/DEMO-ISSUES\\.md:\\d+"))
        .anyMatch(f -> f.matches("approval:A-103-alice from approvals\\.yaml:\\d+"));
    screenshot("board-explanation");
    browser.driver().executeScript("document.querySelector('#explanation #trace').scrollIntoView()");
    screenshot("board-explanation-trace");

    // A click beside the dialog closes it as well.
    new Actions(browser.driver()).moveToLocation(5, 400).click().perform();
    browser.awaitGone(By.cssSelector("#explanation[open]"));
    cell("DEMO-103", "execute").click();
    browser.await(By.cssSelector("#explanation #reasons"));

    explanation.findElement(By.id("explanation-close")).click();
    browser.awaitGone(By.cssSelector("#explanation[open]"));
    assertThat(browser.driver().switchTo().activeElement().getAttribute("aria-label")).isEqualTo("DEMO-103 execute: DENY approval-missing");
  }

  @Test
  void anEarlierTimeDecidesAgainAndTheExplanationShowsTheFactsItSetAside() {
    open(BOARD);
    browser.await(By.id("board"));
    assertThat(cell("DEMO-101", "merge").getText()).isEqualTo("✓");

    // Before the operator accepted DEMO-101's run (14:00), merging it is not allowed.
    browser.driver().executeScript("arguments[0].value = arguments[1]", browser.driver().findElement(By.id("b-at")),
        "2026-06-01T13:30:00");
    browser.driver().findElement(By.id("b-apply")).click();
    browser.awaitText(By.id("board-summary"), "2026-06-01 13:30:00 UTC");
    assertThat(address()).contains("at=2026-06-01T13:30:00Z");
    assertThat(cell("DEMO-101", "merge").getAttribute("data-outcome")).isEqualTo("DENY");

    cell("DEMO-101", "merge").click();
    WebElement ignored = browser.await(By.cssSelector("#explanation #ignored"));
    assertThat(ignored.getText()).contains("evidence:E-101-accept", "evidence:E-101-health");
    browser.driver().findElement(By.id("explanation-close")).click();

    open("#/board?at=soon");
    assertThat(browser.await(By.id("board-error")).getText()).contains("'soon' is not a timestamp");
    assertThat(browser.driver().findElements(By.id("b-at"))).hasSize(1);
    // The browser logs the 400 it was answered; the page says why instead.
    assertThat(browser.consoleErrors(m -> m.contains("/v1/board") && m.contains("status of 400"))).isEmpty();
  }

  @Test
  void worksByKeyboardAlone() {
    open(BOARD);
    browser.await(By.id("board"));
    browser.driver().executeScript("document.querySelector('a.brand').focus()"); // from the page's header

    // Tab from the header reaches every filter control in order, then the first cell.
    List<String> order = new ArrayList<>();
    Actions keys = new Actions(browser.driver());
    for (int i = 0; i < 20 && !"cell".equals(activeClass()); i++) {
      keys.sendKeys(Keys.TAB).perform();
      order.add(active().getAttribute("id") + "|" + active().getTagName());
    }
    assertThat(order).extracting(s -> s.split("\\|")[0])
        .containsSubsequence("b-gate", "b-outcome", "b-q", "b-at", "b-apply", "b-clear");
    WebElement first = active();
    assertThat(first.getAttribute("data-issue")).isEqualTo(rowIds().get(0));
    assertThat(first.getAttribute("data-gate")).isEqualTo("accept");
    assertThat(browser.driver().executeScript(
        "return getComputedStyle(arguments[0]).outlineStyle !== 'none' && arguments[0].matches(':focus-visible')", first))
        .as("the focused cell shows its focus").isEqualTo(true);

    // Arrow keys move between cells; Tab visits the next one too.
    keys.sendKeys(Keys.ARROW_RIGHT).perform();
    assertThat(active().getAttribute("data-gate")).isEqualTo("execute");
    keys.sendKeys(Keys.TAB).perform();
    assertThat(active().getAttribute("data-gate")).isEqualTo("merge");
    int row = rowIds().indexOf("DEMO-103");
    for (int i = 0; i < row; i++) {
      keys.sendKeys(Keys.ARROW_DOWN).perform();
    }
    keys.sendKeys(Keys.ARROW_LEFT).perform();
    assertThat(active().getAttribute("aria-label")).isEqualTo("DEMO-103 execute: DENY approval-missing");

    // Enter opens the explanation with focus inside it; Escape closes it and focus returns to the cell.
    keys.sendKeys(Keys.ENTER).perform();
    browser.await(By.cssSelector("#explanation #reasons"));
    assertThat(active().getAttribute("id")).isEqualTo("explanation-close");
    keys.sendKeys(Keys.ESCAPE).perform();
    browser.awaitGone(By.cssSelector("#explanation[open]"));
    assertThat(active().getAttribute("aria-label")).isEqualTo("DEMO-103 execute: DENY approval-missing");

    // Space opens it as well.
    keys.sendKeys(Keys.SPACE).perform();
    browser.await(By.cssSelector("#explanation #checks"));
    keys.sendKeys(Keys.ESCAPE).perform();
    browser.awaitGone(By.cssSelector("#explanation[open]"));

    // Filters by keyboard: a gate chosen by typing its name, applied with Enter.
    browser.driver().findElement(By.id("b-gate")).sendKeys("validate");
    browser.driver().findElement(By.id("b-q")).sendKeys(Keys.ENTER);
    new WebDriverWait(browser.driver(), Duration.ofSeconds(10)).ignoring(StaleElementReferenceException.class)
        .until(d -> browser.texts(By.cssSelector("#board thead th")).equals(List.of("Issue", "validate")));
    assertThat(address()).contains("gate=validate");
  }

  @Test
  void atPhoneWidthEachIssueIsACardAndNothingScrollsSideways() {
    browser.viewport(390, 844);
    open(BOARD);
    browser.await(By.id("board"));

    assertThat(pageOverflows()).as("the board scrolls sideways at 390 px").isFalse();
    assertThat(browser.driver().findElement(By.cssSelector("#board thead")).isDisplayed()).isFalse();
    // Each cell says its gate, as the hidden header would.
    WebElement card = row("DEMO-103");
    assertThat(card.getText()).contains("DEMO-103", "✗ approval-missing");
    WebElement td = cell("DEMO-103", "execute").findElement(By.xpath(".."));
    assertThat(browser.driver().executeScript("return getComputedStyle(arguments[0], '::before').content", td))
        .isEqualTo("\"execute\"");
    assertThat(browser.driver().findElement(By.id("board-filters")).getSize().getWidth()).isLessThanOrEqualTo(390);
    browser.driver().executeScript("document.getElementById('board-status').scrollIntoView()");
    screenshot("board-phone");

    cell("DEMO-103", "execute").click();
    browser.await(By.cssSelector("#explanation #reasons"));
    assertThat(pageOverflows()).isFalse();
    assertThat(browser.driver().executeScript(
        "const d = document.getElementById('explanation'); return d.scrollWidth <= d.clientWidth")).isEqualTo(true);
    screenshot("board-explanation-phone");
    new Actions(browser.driver()).sendKeys(Keys.ESCAPE).perform();
    browser.awaitGone(By.cssSelector("#explanation[open]"));
  }

  /** Opens {@code route} in a fresh document, so that no element of the page before can be found. */
  private static void open(String route) {
    browser.driver().get("about:blank");
    browser.go(route);
  }

  private static List<String> issues(JsonNode board) {
    List<String> ids = new ArrayList<>();
    board.path("rows").forEach(r -> ids.add(r.path("issue").asText()));
    return ids;
  }

  private static String firstDeny(JsonNode cell) {
    for (JsonNode reason : cell.path("reasons")) {
      if (reason.path("severity").asText().equals("deny")) {
        return reason.path("code").asText();
      }
    }
    return "";
  }

  private static String more(JsonNode cell) {
    int denies = 0;
    for (JsonNode reason : cell.path("reasons")) {
      denies += reason.path("severity").asText().equals("deny") ? 1 : 0;
    }
    return denies > 1 ? " +" + (denies - 1) : "";
  }

  private static List<String> rowIds() {
    return browser.driver().findElements(By.cssSelector("#board tbody tr")).stream().map(r -> r.getAttribute("data-issue")).toList();
  }

  private static WebElement row(String issue) {
    return browser.driver().findElement(By.cssSelector("#board tr[data-issue='" + issue + "']"));
  }

  private static WebElement cell(String issue, String gate) {
    return browser.driver().findElement(By.cssSelector("#board button.cell[data-issue='" + issue + "'][data-gate='" + gate + "']"));
  }

  private static void select(String id, String value) {
    browser.driver().findElement(By.cssSelector("#" + id + " option[value='" + value + "']")).click();
  }

  private static String address() {
    return URLDecoder.decode(browser.driver().getCurrentUrl(), StandardCharsets.UTF_8);
  }

  private static WebElement active() {
    return browser.driver().switchTo().activeElement();
  }

  private static String activeClass() {
    String classes = active().getAttribute("class");
    return classes != null && classes.contains("cell") ? "cell" : classes;
  }

  private static boolean pageOverflows() {
    return (Boolean) browser.driver().executeScript(
        "return document.documentElement.scrollWidth > document.documentElement.clientWidth");
  }

  /** The build's screenshot, and with {@code -Dgatehouse.docs=true} the README's copy in {@code docs/}. */
  private static void screenshot(String name) {
    browser.screenshot(name);
    if (Boolean.getBoolean("gatehouse.docs") && DOCS.contains(name)) {
      try {
        Path docs = Path.of(System.getProperty("gatehouse.root"), "docs");
        Files.createDirectories(docs);
        Files.copy(ConsoleBrowser.SCREENSHOTS.resolve(name + ".png"), docs.resolve(name + ".png"),
            StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
