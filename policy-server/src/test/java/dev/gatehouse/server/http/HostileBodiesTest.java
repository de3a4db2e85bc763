package dev.gatehouse.server.http;

import static dev.gatehouse.server.http.RunningServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bodies a careless or hostile client might send: each gets the right status and code, and the server stays healthy. */
class HostileBodiesTest extends ExecuteGateServer {

  private static final String JSON = "application/json";


  static Stream<Arguments> bodies() {
    byte[] garbage = new byte[4096];
    new Random(7).nextBytes(garbage);
    byte[] badUtf8 = "{\"gate\": \"execute\", \"subject\": \"X\u0000\"}".getBytes(StandardCharsets.UTF_8);
    badUtf8[badUtf8.length - 4] = (byte) 0xC3;
    return Stream.of(
        row("truncated json", JSON, "{\"gate\": \"execute\", \"subject\": ", 400, "invalid-request", null),
        row("gate is a number", JSON, "{\"gate\": 5, \"subject\": \"X-1\"}", 400, "invalid-request", "gate"),
        row("huge exponent for a boolean", JSON,
            "{\"gate\": \"execute\", \"subject\": \"X-1\", \"runtimeDefaultActivation\": 1e999999}",
            400, "invalid-request", "runtimeDefaultActivation"),
        row("huge integer for a string", JSON, "{\"gate\": \"execute\", \"subject\": 99999999999999999999999}",
            400, "invalid-request", "subject"),
        row("10,000-deep nesting", JSON,
            "{\"gate\": \"execute\", \"subject\": \"X-1\", \"facts\": " + "[".repeat(10_000) + "]".repeat(10_000) + "}",
            400, "invalid-request", null),
        row("2 MiB body", JSON, Buffer.buffer(padded(2 * 1024 * 1024)), 413, "body-too-large", null),
        row("binary garbage", JSON, Buffer.buffer(garbage), 400, "invalid-request", null),
        row("invalid utf-8", JSON, Buffer.buffer(badUtf8), 400, "invalid-request", null),
        row("duplicate keys", JSON, "{\"gate\": \"execute\", \"gate\": \"merge\", \"subject\": \"X-1\"}",
            400, "invalid-request", null),
        row("text/plain", "text/plain", TestPolicies.ALLOW_REQUEST, 415, "unsupported-media-type", null),
        row("application/xml", "application/xml", "<gate>execute</gate>", 415, "unsupported-media-type", null),
        row("no content type", null, TestPolicies.ALLOW_REQUEST, 415, "unsupported-media-type", null),
        row("empty body", JSON, "", 400, "invalid-request", null),
        row("array instead of object", JSON, "[]", 400, "invalid-request", null),
        row("null", JSON, "null", 400, "invalid-request", null),
        row("a bare string", JSON, "\"execute\"", 400, "invalid-request", null),
        row("unknown field", JSON, "{\"gate\": \"execute\", \"subject\": \"X-1\", \"colour\": \"red\"}",
            400, "invalid-request", "colour"),
        row("source set in a fact", JSON,
            "{\"gate\": \"execute\", \"subject\": \"X-1\", \"facts\": {\"issues\": [{\"type\": \"AFK\", \"id\": \"X-1\", \"source\": \"trusted.md\"}]}}",
            400, "invalid-request", "facts.issues[0].source"),
        row("bad timestamp", JSON, "{\"gate\": \"execute\", \"subject\": \"X-1\", \"at\": \"yesterday\"}",
            400, "invalid-request", "at"),
        row("timestamp as a number", JSON, "{\"gate\": \"execute\", \"subject\": \"X-1\", \"at\": 1780000000}",
            400, "invalid-request", "at"),
        row("boolean as a string", JSON,
            "{\"gate\": \"execute\", \"subject\": \"X-1\", \"runtimeDefaultActivation\": \"true\"}",
            400, "invalid-request", "runtimeDefaultActivation"),
        row("missing gate", JSON, "{\"subject\": \"X-1\"}", 400, "invalid-request", "gate"),
        row("blank subject", JSON, "{\"gate\": \"execute\", \"subject\": \"  \"}", 400, "invalid-request", "subject"),
        row("facts as an array", JSON, "{\"gate\": \"execute\", \"subject\": \"X-1\", \"facts\": []}",
            400, "invalid-request", "facts"),
        row("duplicate refs", JSON,
            "{\"gate\": \"execute\", \"subject\": \"X-1\", \"facts\": {\"issues\": [{\"id\": \"X-1\", \"type\": \"AFK\"}, {\"id\": \"X-1\", \"type\": \"AFK\"}]}}",
            400, "invalid-request", "facts.issues[1]"),
        row("trailing document", JSON, "{\"gate\": \"execute\", \"subject\": \"X-1\"} {}", 400, "invalid-request", null),
        row("lone surrogate in the subject", JSON, "{\"gate\": \"execute\", \"subject\": \"X-\\ud800\"}",
            400, "invalid-request", "subject"),
        row("NUL in the actor", JSON, "{\"gate\": \"execute\", \"subject\": \"X-1\", \"actor\": \"a\\u0000b\"}",
            400, "invalid-request", "actor"),
        row("NaN", JSON, "{\"gate\": \"execute\", \"subject\": \"X-1\", \"runtimeDefaultActivation\": NaN}",
            400, "invalid-request", null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bodies")
  void refusesWithTheRightStatusAndCode(String name, String contentType, Buffer body, int status, String code, String path) {
    HttpResponse<Buffer> response = server.send(HttpMethod.POST, "/v1/decisions", contentType, body, null);

    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/json");
    JsonNode error = json(response).path("error");
    assertThat(error.path("code").asText()).isEqualTo(code);
    String message = error.path("message").asText();
    assertThat(message).isNotBlank().doesNotContain("\n").doesNotContain("Exception").doesNotContain("com.fasterxml");
    assertThat(message.length()).isLessThan(400);
    if (path != null) {
      assertThat(error.path("path").asText()).isEqualTo(path);
    }
    assertStillHealthy();
  }

  @Test
  void answersAnotherMethodWith405AndAnUnknownPathWith404() {
    HttpResponse<Buffer> put = server.send(HttpMethod.PUT, "/v1/decisions", JSON, Buffer.buffer("{}"), null);
    assertThat(put.statusCode()).isEqualTo(405);
    assertThat(RunningServer.errorCode(put)).isEqualTo("method-not-allowed");

    HttpResponse<Buffer> unknown = server.get("/v1/nothing-here");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(RunningServer.errorCode(unknown)).isEqualTo("not-found");
  }

  @Test
  void leavesLaterResourcesUnrouted() {
    assertThat(server.get("/v1/decisions/0190f6c2").statusCode()).isEqualTo(404);
    assertThat(server.postJson("/v1/decisions/0190f6c2/replay", "{}").statusCode()).isEqualTo(404);
    assertThat(server.get("/v1/workspace").statusCode()).isEqualTo(404);
  }

  private static void assertStillHealthy() {
    assertThat(server.get("/health/live").statusCode()).isEqualTo(200);
    HttpResponse<Buffer> decision = server.postJson("/v1/decisions", TestPolicies.ALLOW_REQUEST);
    assertThat(decision.statusCode()).isEqualTo(200);
    assertThat(json(decision).path("outcome").asText()).isEqualTo("ALLOW");
  }

  private static Arguments row(String name, String contentType, String body, int status, String code, String path) {
    return row(name, contentType, Buffer.buffer(body), status, code, path);
  }

  private static Arguments row(String name, String contentType, Buffer body, int status, String code, String path) {
    return Arguments.of(name, contentType, body, status, code, path);
  }

  /** A valid request padded with a long actor name to {@code size} bytes. */
  private static byte[] padded(int size) {
    String head = "{\"gate\": \"execute\", \"subject\": \"X-1\", \"actor\": \"";
    return (head + "a".repeat(size - head.length() - 2) + "\"}").getBytes(StandardCharsets.UTF_8);
  }
}
