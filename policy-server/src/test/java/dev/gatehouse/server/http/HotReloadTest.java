package dev.gatehouse.server.http;

import static dev.gatehouse.server.http.RunningServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Editing the policy directory changes what the running server decides with, within 2 s, and never breaks it. */
class HotReloadTest {

  private static final Duration WITHIN = Duration.ofSeconds(2);
  private static final String MERGE_REQUEST = "{\"gate\": \"merge\", \"subject\": \"X-1\", \"at\": \"2026-06-02T10:00:00Z\"}";

  @TempDir Path policies;
  RunningServer server;

  @BeforeEach
  void start() {
    server = RunningServer.start(TestPolicies.executeGate(policies));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void activatesAddedEditedAndRemovedFilesWithin2Seconds() throws IOException {
    String first = revision();

    TestPolicies.write(policies, "more/deeper/merge.drl", TestPolicies.MERGE);
    String added = awaitPolicies(p -> !p.path("revision").asText().equals(first)).path("revision").asText();
    JsonNode merge = json(server.postJson("/v1/decisions", MERGE_REQUEST));
    assertThat(merge.path("reasons").get(0).path("code").asText()).isEqualTo("merge-frozen");
    assertThat(merge.path("policy").path("revision").asText()).isEqualTo(added);

    TestPolicies.write(policies, "more/deeper/merge.drl", TestPolicies.MERGE.replace("merges are frozen\")", "merges are closed\")"));
    String edited = awaitPolicies(p -> !p.path("revision").asText().equals(added)).path("revision").asText();
    assertThat(json(server.postJson("/v1/decisions", MERGE_REQUEST)).path("reasons").get(0).path("message").asText())
        .isEqualTo("merges are closed");

    Files.delete(policies.resolve("more/deeper/merge.drl"));
    awaitPolicies(p -> !p.path("revision").asText().equals(edited));
    assertThat(json(server.postJson("/v1/decisions", MERGE_REQUEST)).path("reasons").get(0).path("code").asText())
        .isEqualTo("no-policy");
    assertThat(revision()).isEqualTo(first);
    assertThat(server.get("/metrics").bodyAsString()).contains("gatehouse_policy_reloads_total 4.0");
  }

  @Test
  void keepsServingThePreviousRevisionWhenAnEditDoesNotCompile() throws IOException {
    String good = revision();

    TestPolicies.write(policies, "gates/broken.drl", TestPolicies.BROKEN);
    JsonNode failed = awaitPolicies(p -> p.has("lastReloadError"));
    assertThat(failed.path("revision").asText()).isEqualTo(good);
    JsonNode issue = failed.path("lastReloadError").path("issues").get(0);
    assertThat(issue.path("file").asText()).isEqualTo("gates/broken.drl");
    assertThat(issue.path("line").asInt()).isPositive();
    assertThat(issue.path("severity").asText()).isEqualTo("error");
    assertThat(failed.path("lastReloadError").path("message").asText()).startsWith("gates/broken.drl:");

    JsonNode decision = json(server.postJson("/v1/decisions", TestPolicies.DENY_REQUEST));
    assertThat(decision.path("policy").path("revision").asText()).isEqualTo(good);
    assertThat(decision.path("outcome").asText()).isEqualTo("DENY");
    // Not ready: the directory holds a set the server could not activate. It still decides, with the last good one.
    HttpResponse<Buffer> ready = server.get("/health/ready");
    assertThat(ready.statusCode()).isEqualTo(503);
    assertThat(json(ready).path("revision").asText()).isEqualTo(good);
    assertThat(json(ready).path("message").asText())
        .startsWith("the last policy reload failed, still serving " + good + ": gates/broken.drl:");
    assertThat(server.get("/metrics").bodyAsString()).contains("gatehouse_policy_reload_failures_total 1.0");

    Files.delete(policies.resolve("gates/broken.drl"));
    JsonNode fixed = awaitPolicies(p -> !p.has("lastReloadError"));
    assertThat(fixed.path("revision").asText()).isEqualTo(good);
    assertThat(server.get("/health/ready").statusCode()).isEqualTo(200);
  }

  @Test
  void survivesARuleNestedTooDeeplyToCompileAndActivatesTheNextGoodEdit() {
    String good = revision();
    // 3,000 nested parentheses once overflowed the compiler's stack and killed the watcher thread.
    String deep = TestPolicies.MERGE.replace("gate == \"merge\"", "gate == " + "(".repeat(3000) + "\"merge\"" + ")".repeat(3000));

    TestPolicies.write(policies, "gates/deep.drl", deep);
    JsonNode failed = server.awaitPolicies(null, Duration.ofSeconds(30), p -> p.has("lastReloadError"));
    assertThat(failed.path("revision").asText()).isEqualTo(good);
    assertThat(failed.path("lastReloadError").path("message").asText()).isNotBlank();
    assertThat(server.get("/health/ready").statusCode()).isEqualTo(503);
    assertThat(json(server.postJson("/v1/decisions", TestPolicies.DENY_REQUEST)).path("policy").path("revision").asText())
        .isEqualTo(good);

    TestPolicies.write(policies, "gates/deep.drl", TestPolicies.MERGE);
    JsonNode fixed = server.awaitPolicies(null, Duration.ofSeconds(30),
        p -> !p.path("revision").asText().equals(good) && !p.has("lastReloadError"));
    assertThat(json(server.postJson("/v1/decisions", MERGE_REQUEST)).path("policy").path("revision").asText())
        .isEqualTo(fixed.path("revision").asText());
    assertThat(server.get("/health/ready").statusCode()).isEqualTo(200);
  }

  private String revision() {
    return json(server.get("/v1/policies")).path("revision").asText();
  }

  private JsonNode awaitPolicies(Predicate<JsonNode> condition) {
    return server.awaitPolicies(null, WITHIN, condition);
  }
}
