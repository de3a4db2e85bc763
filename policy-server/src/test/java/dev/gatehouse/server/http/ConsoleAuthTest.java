package dev.gatehouse.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.server.config.ApiToken;
import dev.gatehouse.server.config.Role;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;

/** With authentication on, the console shows nothing but a token form until a token with the read role is given. */
class ConsoleAuthTest extends ConsoleFixture {

  static final String READER = "reader-secret-0123456789";
  static final String DECIDER = "decider-secret-0123456789";

  static String decisionId;

  @BeforeAll
  static void start() throws Exception {
    use(ConsoleSession.start(policies, data, List.of(
        ApiToken.of("dashboard", READER, Set.of(Role.READ), java.util.Set.of()),
        ApiToken.of("ci", DECIDER, Set.of(Role.DECIDE), java.util.Set.of()))));
    decisionId = RunningServer.json(server.postJson("/v1/decisions", ConsoleTest.EXECUTE_DENY.formatted("AUTH-1"), DECIDER))
        .path("decisionId").asText();
  }

  @Test
  void asksForATokenAndShowsNothingWithoutTheReadRole() {
    browser.go("#/decisions");
    assertThat(browser.await(By.id("token-error")).getText()).contains("needs a token", "missing bearer token");
    assertNothingShown();
    browser.screenshot("token-form");

    signIn("not-a-token-at-all");
    browser.awaitText(By.id("token-error"), "unknown bearer token");
    assertNothingShown();

    signIn(DECIDER);
    browser.awaitText(By.id("token-error"), "lacks role 'read'");
    assertNothingShown();

    browser.go("#/decisions/" + decisionId);
    browser.awaitText(By.id("token-error"), "needs a token");
    assertNothingShown();

    signIn(READER);
    browser.awaitText(By.tagName("h1"), "AUTH-1");
    assertThat(browser.driver().executeScript("return sessionStorage.getItem('gatehouse.token')")).isEqualTo(READER);
    assertThat(browser.driver().executeScript("return localStorage.length")).isEqualTo(0L);
    assertThat(browser.driver().executeScript("return document.cookie")).isEqualTo("");

    browser.go("#/decisions");
    browser.await(By.cssSelector("#decisions tr[data-id='" + decisionId + "']"));
    browser.await(By.id("forget-token")).click();
    browser.await(By.id("token"));
    assertNothingShown();
    assertThat(browser.driver().executeScript("return sessionStorage.length")).isEqualTo(0L);

    // The refused calls show in the console as failed loads; nothing else may.
    assertThat(browser.consoleErrors(m -> m.contains("status of 401") || m.contains("status of 403"))).isEmpty();
  }

  private static void signIn(String token) {
    browser.await(By.id("token")).sendKeys(token, Keys.ENTER);
  }

  private static void assertNothingShown() {
    assertThat(browser.driver().findElements(By.cssSelector("#decisions, #summary, #gate-execute"))).isEmpty();
    assertThat(browser.driver().findElement(By.id("view")).getText()).doesNotContain("AUTH-1", "execute");
  }
}
