package dev.gatehouse.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/**
 * The console's workspace page in a real browser: the files with their front matter, an issue the
 * planning reader could not read among the problems, and the audit's findings.
 */
class ConsoleWorkspaceTest extends ConsoleFixture {

  @TempDir static Path dir;
  static Path workspace;

  @BeforeAll
  static void start() throws IOException {
    workspace = WorkspaceApiTest.copyOfDemo(dir);
    Path plan = workspace.resolve("planning/DEMO-ISSUES.md");
    Files.writeString(plan, Files.readString(plan).replace("Blocked by: DEMO-099, DEMO-103", "Blocks: DEMO-099"));
    use(ConsoleSession.start(policies, data, workspace));
  }

  @Test
  void showsFilesProblemsAndTheStatusesTheGatesContradict() {
    browser.go("#/workspace");
    browser.await(By.cssSelector("#audit li"));

    assertThat(browser.driver().findElement(By.id("loaded")).getText())
        .contains("CTO-FIRST-REAL-GOVERNED-WORKFLOW-ISSUES.md", "lifecycle_classification", "planning");
    assertThat(browser.texts(By.cssSelector("#problems li"))).containsExactly(
        "planning/DEMO-ISSUES.md:66 issue DEMO-106 is unreadable: 'Blocks' looks like a field but is none:"
            + " the fields are Type, Status, Blocked by, Validator, Human gate");
    assertThat(browser.driver().findElement(By.id("audit")).getText())
        .contains("CTO-FIRST-REAL-GOVERNED-WORKFLOW-ISSUES.md:59 CTO-WORK-050 claims validated; validate denies:",
            "blocker-not-validated")
        .doesNotContain("DEMO-106");
    browser.screenshot("workspace");
  }
}
