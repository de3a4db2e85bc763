package dev.gatehouse.server.http;

import static dev.gatehouse.server.http.RunningServer.errorCode;
import static dev.gatehouse.server.http.RunningServer.json;
import static dev.gatehouse.server.http.Tokens.DECIDER;
import static dev.gatehouse.server.http.Tokens.READER;
import static dev.gatehouse.server.http.Tokens.REVIEWER;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.model.json.Json;
import dev.gatehouse.rules.PolicyFiles;
import dev.gatehouse.server.config.ServerConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three replays of a decision over HTTP, after both the policies and the workspace it was
 * decided with have changed: as decided reproduces it from the log's snapshots, a candidate set
 * decides over its original facts, now over today's.
 */
class AuditReplayApiTest {

  private static final String REQUEST =
      "{\"gate\": \"execute\", \"subject\": \"DEMO-103\", \"at\": \"2026-06-02T10:00:00Z\", \"actor\": \"cto-harness\"}";
  // Compiling the bundled set takes a few seconds on a loaded machine.
  private static final Duration RELOAD = Duration.ofSeconds(30);

  @TempDir Path dir;
  Path policies;
  Path workspace;
  Path data;
  RunningServer server;

  @BeforeEach
  void start() throws Exception {
    policies = dir.resolve("policies");
    TestPolicies.copyOfBundled(policies);
    workspace = WorkspaceApiTest.copyOfDemo(dir);
    data = dir.resolve("data");
    server = RunningServer.start(ServerConfig.defaults(policies).withPort(0).withData(data).withWorkspace(workspace)
        .withTokens(Tokens.all()));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void asDecidedReproducesADecisionAfterItsPoliciesAndWorkspaceChanged() throws Exception {
    JsonNode decided = json(server.postJson("/v1/decisions", REQUEST, DECIDER));
    assertThat(decided.path("outcome").asText()).isEqualTo("DENY");
    String id = decided.path("decisionId").asText();

    // A line above every rule of the gate moves each traced rule one line down; an approval opens the gate.
    Path execute = policies.resolve("execute.dslr");
    Files.writeString(execute, "// edited after the decision\n" + Files.readString(execute));
    server.awaitPolicies(READER, RELOAD, p -> !p.path("revision").asText().equals(decided.path("policy").path("revision").asText()));
    Files.writeString(workspace.resolve("approvals-jp.yaml"), WorkspaceApiTest.JP_APPROVES_DEMO_103);
    Polling.await(Duration.ofSeconds(5), "the new approval", () -> json(server.get("/v1/workspace", READER)),
        w -> !w.path("revision").asText().equals(decided.path("workspace").asText()));

    JsonNode asDecided = replay(id, "as-decided", "", READER);
    assertThat(asDecided.path("mode").asText()).isEqualTo("as-decided");
    assertThat(asDecided.path("faults")).isEmpty();
    assertThat(asDecided.has("diff")).isFalse();
    assertThat(asDecided.path("replayed").path("policy")).isEqualTo(decided.path("policy"));
    assertThat(asDecided.path("replayed").path("workspace")).isEqualTo(decided.path("workspace"));
    assertThat(asDecided.path("replayed").path("trace")).isEqualTo(decided.path("trace"));
    assertThat(asDecided.path("replayed").path("sources")).isEqualTo(decided.path("sources"));

    JsonNode now = replay(id, "now", "", READER);
    assertThat(now.path("diff").path("replayedOutcome").asText()).isEqualTo("ALLOW");
    assertThat(now.has("faults")).isFalse();

    // The candidate is the edited set: over the original facts it still denies, for the same reason.
    ObjectNode candidate = Json.mapper().createObjectNode();
    ObjectNode files = candidate.putObject("files");
    PolicyFiles.read(policies).files().forEach((path, bytes) -> files.put(path, new String(bytes, StandardCharsets.UTF_8)));
    JsonNode overOriginalFacts = replay(id, "candidate", candidate.toString(), REVIEWER);
    assertThat(overOriginalFacts.path("diff").path("outcomeChanged").asBoolean()).isFalse();
    assertThat(overOriginalFacts.path("replayed").path("workspace")).isEqualTo(decided.path("workspace"));
    assertThat(overOriginalFacts.path("replayed").path("trace").get(0).path("line").asInt())
        .isEqualTo(decided.path("trace").get(0).path("line").asInt() + 1);
  }

  @Test
  void aDecisionWhoseSnapshotIsGoneIsNotReplayedAsDecided() throws Exception {
    String id = json(server.postJson("/v1/decisions", REQUEST, DECIDER)).path("decisionId").asText();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("decisions.db"));
        Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery("SELECT count(*) FROM snapshots")) {
        assertThat(rs.getInt(1)).as("the policy set and the workspace, once each").isEqualTo(2);
      }
      st.executeUpdate("DELETE FROM snapshots WHERE kind = 'workspace'");
    }
    // While the workspace is at the deciding revision, it is used as it is: change it.
    Files.writeString(workspace.resolve("approvals-jp.yaml"), WorkspaceApiTest.JP_APPROVES_DEMO_103);
    Polling.await(Duration.ofSeconds(5), "the new approval", () -> json(server.get("/v1/workspace", READER)),
        w -> w.path("counts").path("approvals").asInt() == 4);

    HttpResponse<Buffer> missing = server.send(io.vertx.core.http.HttpMethod.POST,
        "/v1/decisions/" + id + "/replay?mode=as-decided", null, null, READER);
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(errorCode(missing)).isEqualTo("snapshot-not-found");
    assertThat(json(missing).path("error").path("message").asText()).contains("no snapshot of workspace revision sha256:");
  }

  @Test
  void aModeMustBeKnownAndMatchTheBody() {
    String id = json(server.postJson("/v1/decisions", REQUEST, DECIDER)).path("decisionId").asText();

    HttpResponse<Buffer> unknown = server.postJson("/v1/decisions/" + id + "/replay?mode=later", "", READER);
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(json(unknown).path("error").path("path").asText()).isEqualTo("mode");
    HttpResponse<Buffer> noFiles = server.postJson("/v1/decisions/" + id + "/replay?mode=candidate", "{}", REVIEWER);
    assertThat(noFiles.statusCode()).isEqualTo(400);
    assertThat(json(noFiles).path("error").path("path").asText()).isEqualTo("files");
    HttpResponse<Buffer> filesAsDecided = server.postJson("/v1/decisions/" + id + "/replay?mode=as-decided",
        "{\"files\": {\"a.drl\": \"\"}}", REVIEWER);
    assertThat(filesAsDecided.statusCode()).isEqualTo(400);
  }

  private JsonNode replay(String id, String mode, String body, String token) {
    HttpResponse<Buffer> response = body.isEmpty()
        ? server.send(io.vertx.core.http.HttpMethod.POST, "/v1/decisions/" + id + "/replay?mode=" + mode, null, null, token)
        : server.postJson("/v1/decisions/" + id + "/replay?mode=" + mode, body, token);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return json(response);
  }
}
