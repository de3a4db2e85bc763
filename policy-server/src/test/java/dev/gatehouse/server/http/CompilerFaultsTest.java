package dev.gatehouse.server.http;

import static dev.gatehouse.server.http.RunningServer.errorCode;
import static dev.gatehouse.server.http.RunningServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.config.ServerConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A compiler that throws (a stack overflow on a deep rule, a null pointer on an OOPath pattern)
 * is a reload error and a check diagnostic, never a dead watcher or a 500: the watcher records the
 * failure with its cause, the server stops being ready but decides with the last good set, and
 * the next good edit is activated.
 */
class CompilerFaultsTest {

  private static final Duration WITHIN = Duration.ofSeconds(5);
  private static final String MERGE_REQUEST = "{\"gate\": \"merge\", \"subject\": \"X-1\", \"at\": \"2026-06-02T10:00:00Z\"}";
  private static final String OVERFLOW_MESSAGE =
      "the compiler ran out of stack on this policy set: an expression is nested too deeply";
  private static final String INTERNAL_MESSAGE =
      "the compiler failed on this policy set with an internal error; the detail is in the server log";

  @TempDir Path policies;
  @TempDir Path data;
  final FaultyCompiler compiler = new FaultyCompiler();
  RunningServer server;

  @BeforeEach
  void start() {
    ServerConfig config = ServerConfig.defaults(TestPolicies.executeGate(policies)).withPort(0).withData(data)
        .withSettle(Duration.ofMillis(50));
    server = RunningServer.start(config, compiler);
  }

  @AfterEach
  void stop() {
    compiler.release();
    server.close();
  }

  @Test
  void aReloadWhoseCompilerThrowsIsAReloadErrorAndTheWatcherGoesOn() {
    String good = revision();

    TestPolicies.write(policies, "gates/merge.drl", FaultyCompiler.OVERFLOW + "\n" + TestPolicies.MERGE);
    JsonNode overflowed = awaitPolicies(p -> p.path("lastReloadError").path("message").asText().contains("out of stack"));
    assertThat(overflowed.path("revision").asText()).isEqualTo(good);
    assertThat(overflowed.path("lastReloadError").path("message").asText()).isEqualTo("<policies>: " + OVERFLOW_MESSAGE);
    assertThat(overflowed.path("lastReloadError").path("issues").get(0).path("file").asText()).isEmpty();
    assertNotReadyButDeciding(good, OVERFLOW_MESSAGE);

    TestPolicies.write(policies, "gates/merge.drl", FaultyCompiler.NPE + "\n" + TestPolicies.MERGE);
    awaitPolicies(p -> p.path("lastReloadError").path("message").asText().contains("internal error"));
    assertNotReadyButDeciding(good, INTERNAL_MESSAGE);

    TestPolicies.write(policies, "gates/merge.drl", TestPolicies.MERGE);
    JsonNode fixed = awaitPolicies(p -> !p.path("revision").asText().equals(good) && !p.has("lastReloadError"));
    assertThat(json(server.postJson("/v1/decisions", MERGE_REQUEST)).path("reasons").get(0).path("code").asText())
        .isEqualTo("merge-frozen");
    assertThat(json(server.get("/health/ready")).path("revision").asText()).isEqualTo(fixed.path("revision").asText());
    assertThat(server.get("/health/ready").statusCode()).isEqualTo(200);
    assertThat(server.metric("gatehouse_policy_reload_failures_total")).isEqualTo(2.0);
  }

  @Test
  void aCheckWhoseCompilerThrowsAnswersADiagnosticNotA500() {
    for (String[] fault : new String[][] {{FaultyCompiler.OVERFLOW, OVERFLOW_MESSAGE}, {FaultyCompiler.NPE, INTERNAL_MESSAGE}}) {
      HttpResponse<Buffer> check = server.postJson("/v1/policies/check", candidate(fault[0]));

      assertThat(check.statusCode()).as(fault[1]).isEqualTo(200);
      JsonNode result = json(check);
      assertThat(result.path("ok").asBoolean()).isFalse();
      assertThat(result.path("revision").asText()).startsWith("sha256:");
      JsonNode issue = result.path("issues").get(0);
      assertThat(issue.path("file").asText()).isEmpty();
      assertThat(issue.path("severity").asText()).isEqualTo("error");
      assertThat(issue.path("message").asText()).isEqualTo(fault[1]);
    }
    // A candidate's failure is not a reload failure, and the next check compiles as ever.
    assertThat(json(server.get("/v1/policies")).has("lastReloadError")).isFalse();
    assertThat(server.get("/health/ready").statusCode()).isEqualTo(200);
    assertThat(json(server.postJson("/v1/policies/check", candidate(""))).path("ok").asBoolean()).isTrue();
  }

  @Test
  void aReplayAgainstACandidateWhoseCompilerThrowsIsRefusedAsNotCompiling() {
    String id = json(server.postJson("/v1/decisions", TestPolicies.DENY_REQUEST)).path("decisionId").asText();

    HttpResponse<Buffer> replay = server.postJson("/v1/decisions/" + id + "/replay", candidate(FaultyCompiler.NPE));

    assertThat(replay.statusCode()).isEqualTo(400);
    assertThat(errorCode(replay)).isEqualTo("invalid-request");
    assertThat(json(replay).path("error").path("message").asText())
        .isEqualTo("the candidate policy set does not compile: <policies>: " + INTERNAL_MESSAGE);
  }

  private void assertNotReadyButDeciding(String good, String why) {
    HttpResponse<Buffer> ready = server.get("/health/ready");
    assertThat(ready.statusCode()).isEqualTo(503);
    assertThat(json(ready).path("status").asText()).isEqualTo("not-ready");
    assertThat(json(ready).path("message").asText())
        .isEqualTo("the last policy reload failed, still serving " + good + ": <policies>: " + why);
    HttpResponse<Buffer> decision = server.postJson("/v1/decisions", TestPolicies.DENY_REQUEST);
    assertThat(decision.statusCode()).isEqualTo(200);
    assertThat(json(decision).path("policy").path("revision").asText()).isEqualTo(good);
  }

  private static String candidate(String marker) {
    return "{\"files\": {\"gates/execute.drl\": " + AuthTest.quoted(marker + "\n" + TestPolicies.EXECUTE) + "}}";
  }

  private String revision() {
    return json(server.get("/v1/policies")).path("revision").asText();
  }

  private JsonNode awaitPolicies(Predicate<JsonNode> condition) {
    return server.awaitPolicies(null, WITHIN, condition);
  }
}
