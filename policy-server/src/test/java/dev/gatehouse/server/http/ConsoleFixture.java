package dev.gatehouse.server.http;

import static dev.gatehouse.server.http.RunningServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Console tests against one {@link ConsoleSession} per test class, over a copy of the bundled policies
 * in {@link #policies} with the decision log in {@link #data}. Each class starts its session in its own
 * {@code @BeforeAll} and hands it to {@link #use}; it is closed after the class, and every test leaves
 * the browser console clean.
 */
abstract class ConsoleFixture {

  // Compiling the bundled set takes a few seconds on a loaded machine.
  private static final Duration RELOAD = Duration.ofSeconds(30);

  @TempDir static Path policies;
  @TempDir static Path data;
  static ConsoleSession console;
  static RunningServer server;
  static ConsoleBrowser browser;

  /** The session the test class runs in, closed after it. */
  static void use(ConsoleSession session) {
    console = session;
    server = session.server();
    browser = session.browser();
  }

  @AfterAll
  static void stop() {
    if (console != null) {
      console.close();
      console = null;
    }
  }

  @AfterEach
  void browserConsoleStaysClean() {
    assertThat(browser.consoleErrors(message -> false)).isEmpty();
  }

  /** Decides {@code request} without a token; the id it was logged under. */
  static String decide(String request) {
    JsonNode decision = json(server.postJson("/v1/decisions", request));
    assertThat(decision.path("decisionId").asText()).as("decision for %s: %s", request, decision).isNotEmpty();
    return decision.path("decisionId").asText();
  }

  static String activeRevision() {
    return json(server.get("/v1/policies")).path("revision").asText();
  }

  /** Waits for an edit of {@link #policies} to be active. */
  static void awaitRevisionOtherThan(String revision) {
    awaitPolicies(p -> !p.path("revision").asText().equals(revision) && !p.has("lastReloadError"));
  }

  /** Polls {@code GET /v1/policies} until {@code condition} holds. */
  static void awaitPolicies(Predicate<JsonNode> condition) {
    server.awaitPolicies(null, RELOAD, condition);
  }
}
