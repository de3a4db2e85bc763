package dev.gatehouse.server.http;

import static dev.gatehouse.server.http.AuthTest.quoted;
import static dev.gatehouse.server.http.RunningServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class PoliciesApiTest extends ExecuteGateServer {

  @Test
  void describesTheActiveSetWithRuleMetadata() {
    JsonNode active = json(server.get("/v1/policies"));

    assertThat(active.path("revision").asText()).startsWith("sha256:");
    assertThat(active.path("files").toString()).isEqualTo("[\"gates/execute.drl\"]");
    assertThat(active.path("gates").toString()).isEqualTo("[\"execute\"]");
    JsonNode rule = active.path("rules").get(0);
    assertThat(rule.path("name").asText()).isEqualTo("subject must be a known issue");
    assertThat(rule.path("file").asText()).isEqualTo("gates/execute.drl");
    assertThat(rule.path("line").asInt()).isEqualTo(7);
    assertThat(rule.path("code").asText()).isEqualTo("issue-unknown");
    assertThat(rule.path("description").asText()).isEqualTo("the subject names a known issue");
    assertThat(active.has("lastReloadError")).isFalse();
  }

  @Test
  void checksAGoodCandidateWithoutActivatingIt() throws IOException {
    String before = json(server.get("/v1/policies")).path("revision").asText();

    HttpResponse<Buffer> response = check("{\"files\": {\"gates/execute.drl\": " + quoted(TestPolicies.EXECUTE)
        + ", \"gates/merge.drl\": " + quoted(TestPolicies.MERGE) + "}}");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode result = json(response);
    assertThat(result.path("ok").asBoolean()).isTrue();
    assertThat(result.path("revision").asText()).startsWith("sha256:").isNotEqualTo(before);
    assertThat(json(server.get("/v1/policies")).path("revision").asText()).isEqualTo(before);
    try (Stream<Path> files = Files.walk(policies)) {
      assertThat(files.filter(Files::isRegularFile).count()).isEqualTo(1);
    }
  }

  @Test
  void reportsEachIssueWithFileLineAndColumn() {
    JsonNode result = json(check("{\"files\": {\"gates/broken.drl\": " + quoted(TestPolicies.BROKEN) + "}}"));

    assertThat(result.path("ok").asBoolean()).isFalse();
    JsonNode issue = result.path("issues").get(0);
    assertThat(issue.path("file").asText()).isEqualTo("gates/broken.drl");
    assertThat(issue.path("line").asInt()).isPositive();
    assertThat(issue.has("column")).isTrue();
    assertThat(issue.path("severity").asText()).isEqualTo("error");
    assertThat(issue.path("message").asText()).contains("Nonexistent");
  }

  @Test
  void refusesACandidateThatEscapesTheSandboxWithoutWritingOrActivatingIt() throws IOException {
    String before = json(server.get("/v1/policies")).path("revision").asText();
    String escape = TestPolicies.EXECUTE.replace("then\n", "then\n  System.exit(1);\n");

    JsonNode result = json(check("{\"files\": {\"gates/execute.drl\": " + quoted(escape) + "}}"));

    assertThat(result.path("ok").asBoolean()).isFalse();
    assertThat(result.path("issues")).anySatisfy(issue -> {
      assertThat(issue.path("file").asText()).isEqualTo("gates/execute.drl");
      assertThat(issue.path("line").asInt()).isPositive();
      assertThat(issue.path("message").asText()).startsWith("'java.lang.System' is not allowed in rules");
    });
    assertThat(json(server.get("/v1/policies")).path("revision").asText()).isEqualTo(before);
    try (Stream<Path> files = Files.walk(policies)) {
      assertThat(files.filter(Files::isRegularFile).count()).isEqualTo(1);
    }
  }

  @Test
  void refusesMalformedCandidatesWithThePath() {
    assertInvalid("{\"files\": {\"../escape.drl\": \"x\"}}", "files[\"../escape.drl\"]");
    assertInvalid("{\"files\": {\"/etc/passwd.drl\": \"x\"}}", "files[\"/etc/passwd.drl\"]");
    assertInvalid("{\"files\": {\"notes.txt\": \"x\"}}", "files[\"notes.txt\"]");
    assertInvalid("{\"files\": {\"a.drl\": 5}}", "files[\"a.drl\"]");
    assertInvalid("{\"files\": []}", "files");
    assertInvalid("{}", "files");
    assertInvalid("{\"files\": {}, \"activate\": true}", "activate");
    assertInvalid("[", null);
    String tooMany = IntStream.rangeClosed(0, PoliciesHandler.MAX_CHECK_FILES)
        .mapToObj(i -> "\"f" + i + ".drl\": \"\"")
        .collect(Collectors.joining(", ", "{\"files\": {", "}}"));
    assertInvalid(tooMany, "files");
  }

  private static void assertInvalid(String body, String path) {
    HttpResponse<Buffer> response = check(body);
    assertThat(response.statusCode()).as(body).isEqualTo(400);
    JsonNode error = json(response).path("error");
    assertThat(error.path("code").asText()).isEqualTo("invalid-request");
    if (path != null) {
      assertThat(error.path("path").asText()).isEqualTo(path);
    }
  }

  private static HttpResponse<Buffer> check(String body) {
    return server.postJson("/v1/policies/check", body);
  }
}
