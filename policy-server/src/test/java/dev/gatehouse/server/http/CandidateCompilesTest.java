package dev.gatehouse.server.http;

import static dev.gatehouse.server.http.RunningServer.errorCode;
import static dev.gatehouse.server.http.RunningServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.server.config.ServerConfig;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Candidate compiles (checks, candidate replays) do not queue without limit: with one compiling
 * and four waiting, the next is refused at once with 503 {@code busy} and {@code Retry-After},
 * while decisions go on being answered; once the compiles end, checks are taken again.
 */
class CandidateCompilesTest {

  private static final Duration WITHIN = Duration.ofSeconds(10);
  private static final int CAPACITY = CandidateCompiles.CONCURRENCY + CandidateCompiles.QUEUE;

  @TempDir Path policies;
  @TempDir Path data;
  final FaultyCompiler compiler = new FaultyCompiler();
  RunningServer server;

  @BeforeEach
  void start() {
    server = RunningServer.start(ServerConfig.defaults(TestPolicies.executeGate(policies)).withPort(0).withData(data),
        compiler);
  }

  @AfterEach
  void stop() {
    compiler.release();
    server.close();
  }

  @Test
  void refusesCandidatesBeyondTheQueueWith503BusyAndKeepsDeciding() {
    String logged = json(server.postJson("/v1/decisions", TestPolicies.DENY_REQUEST)).path("decisionId").asText();
    List<Future<HttpResponse<Buffer>>> slow = new ArrayList<>();
    for (int i = 0; i < CAPACITY; i++) {
      slow.add(server.postJsonLater("/v1/policies/check", candidate(FaultyCompiler.BLOCK + " " + i), null));
    }
    Polling.await(WITHIN, "every slow check admitted", () -> server.metric("gatehouse_policy_checks_pending"),
        pending -> pending == CAPACITY);
    assertThat(compiler.blocked()).isEqualTo(CandidateCompiles.CONCURRENCY);

    HttpResponse<Buffer> check = server.postJson("/v1/policies/check", candidate(""));
    assertBusy(check);
    HttpResponse<Buffer> replay = server.postJson("/v1/decisions/" + logged + "/replay", candidate(""));
    assertBusy(replay);
    // Decisions and reads do not wait behind the compiles.
    assertThat(server.postJson("/v1/decisions", TestPolicies.ALLOW_REQUEST).statusCode()).isEqualTo(200);
    assertThat(server.get("/v1/policies").statusCode()).isEqualTo(200);
    assertThat(server.metric("gatehouse_policy_checks_refused_total")).isEqualTo(2.0);

    compiler.release();
    for (Future<HttpResponse<Buffer>> answer : slow) {
      HttpResponse<Buffer> response = answer.await();
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(json(response).path("ok").asBoolean()).isTrue();
    }
    Polling.await(WITHIN, "the queue drained", () -> server.metric("gatehouse_policy_checks_pending"), pending -> pending == 0);
    assertThat(json(server.postJson("/v1/policies/check", candidate(""))).path("ok").asBoolean()).isTrue();
    assertThat(server.postJson("/v1/decisions/" + logged + "/replay", candidate("")).statusCode()).isEqualTo(200);
  }

  private static void assertBusy(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(errorCode(response)).isEqualTo("compile-busy");
    assertThat(response.getHeader("Retry-After")).isEqualTo("1");
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/json");
    assertThat(json(response).path("error").path("message").asText()).isNotBlank();
  }

  private static String candidate(String marker) {
    return "{\"files\": {\"gates/execute.drl\": " + AuthTest.quoted(marker + "\n" + TestPolicies.EXECUTE) + "}}";
  }
}
