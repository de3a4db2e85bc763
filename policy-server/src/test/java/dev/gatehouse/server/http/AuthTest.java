package dev.gatehouse.server.http;

import static dev.gatehouse.server.http.RunningServer.errorCode;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bearer tokens: 401 without a known token, 403 without the route's role, open health, metrics and API description. */
class AuthTest {

  static final String DECIDER = Tokens.DECIDER;
  static final String READER = Tokens.READER;
  static final String ADMIN = Tokens.ADMIN;
  static final String CHECK = "{\"files\": {\"gates/execute.drl\": " + quoted(TestPolicies.EXECUTE) + "}}";

  @TempDir static Path policies;
  static RunningServer server;

  @BeforeAll
  static void start() {
    server = RunningServer.start(TestPolicies.executeGate(policies), Tokens.all());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void refusesAMissingTokenWith401AndAChallenge() {
    HttpResponse<Buffer> response = server.postJson("/v1/decisions", TestPolicies.ALLOW_REQUEST);

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.getHeader("WWW-Authenticate")).isEqualTo("Bearer");
    assertThat(errorCode(response)).isEqualTo("unauthenticated");
  }

  @Test
  void refusesAnUnknownTokenAndAnotherSchemeWith401() {
    assertThat(server.postJson("/v1/decisions", TestPolicies.ALLOW_REQUEST, "not-a-known-token-at-all").statusCode())
        .isEqualTo(401);
    HttpResponse<Buffer> basic = server.client().post(server.port(), "127.0.0.1", "/v1/decisions")
        .putHeader("Authorization", "Basic " + DECIDER)
        .putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer(TestPolicies.ALLOW_REQUEST)).await();
    assertThat(basic.statusCode()).isEqualTo(401);
    assertThat(basic.getHeader("WWW-Authenticate")).isEqualTo("Bearer");
  }

  @Test
  void refusesATokenWithoutTheRoleWith403() {
    HttpResponse<Buffer> response = server.postJson("/v1/decisions", TestPolicies.ALLOW_REQUEST, READER);

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(errorCode(response)).isEqualTo("forbidden");
    assertThat(RunningServer.json(response).path("error").path("message").asText())
        .isEqualTo("token 'dashboard' lacks role 'decide'");
    assertThat(server.get("/v1/policies", DECIDER).statusCode()).isEqualTo(403);
    assertThat(server.postJson("/v1/policies/check", CHECK, READER).statusCode()).isEqualTo(403);
  }

  @Test
  void letsEachRoleThroughItsRoute() {
    assertThat(server.postJson("/v1/decisions", TestPolicies.ALLOW_REQUEST, DECIDER).statusCode()).isEqualTo(200);
    assertThat(server.get("/v1/policies", READER).statusCode()).isEqualTo(200);
    assertThat(server.postJson("/v1/policies/check", CHECK, ADMIN).statusCode()).isEqualTo(200);
  }

  @Test
  void authenticatesBeforeLookingAtTheBody() {
    HttpResponse<Buffer> response = server.send(HttpMethod.POST, "/v1/decisions", "text/plain", Buffer.buffer("x"), null);

    assertThat(response.statusCode()).isEqualTo(401);
  }

  @Test
  void leavesHealthMetricsAndTheApiDescriptionOpen() {
    assertThat(server.get("/health/live").statusCode()).isEqualTo(200);
    assertThat(server.get("/health/ready").statusCode()).isEqualTo(200);
    assertThat(server.get("/metrics").statusCode()).isEqualTo(200);
    assertThat(server.get("/openapi.yaml").statusCode()).isEqualTo(200);
  }

  static String quoted(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }
}
