package dev.gatehouse.server.http;

import static dev.gatehouse.server.http.RunningServer.errorCode;
import static dev.gatehouse.server.http.RunningServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.config.ApiToken;
import dev.gatehouse.server.config.ConfigException;
import dev.gatehouse.server.config.Role;
import dev.gatehouse.server.config.ServerConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The board and the batch on a real server with the bundled policies, the demo workspace and a
 * decision log: a board cell is the decision {@code POST /v1/decisions} gives, logged only when
 * asked; a batch answers each request in order as a single request would be answered, and logs it.
 */
class BoardApiTest {

  static final String AT = "2026-06-02T10:00:00Z";
  /** Reads and decides: may log a board. */
  static final String OFFICER = "officer-secret-0123456789";

  @TempDir static Path data;
  static RunningServer server;

  @BeforeAll
  static void start() throws ConfigException {
    List<ApiToken> tokens = new ArrayList<>(Tokens.all());
    tokens.add(ApiToken.of("officer", OFFICER, Set.of(Role.READ, Role.DECIDE), Set.of()));
    server = RunningServer.start(ServerConfig.defaults(TestPolicies.bundled()).withPort(0).withTokens(tokens)
        .withData(data).withWorkspace(WorkspaceApiTest.DEMO));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void everyCellIsTheDecisionASingleRequestGetsAndNothingIsLogged() {
    JsonNode board = json(server.get("/v1/board?at=" + AT, Tokens.READER));

    assertThat(board.path("at").asText()).isEqualTo(AT);
    assertThat(board.path("actor").asText()).isEqualTo("cto-harness");
    assertThat(board.has("boardId")).isFalse();
    assertThat(board.path("gates")).extracting(JsonNode::asText).containsExactly("accept", "execute", "merge", "validate");
    assertThat(board.path("rows")).extracting(r -> r.path("issue").asText())
        .hasSize(10).contains("DEMO-101", "DEMO-103", "CTO-WORK-050").isSorted();
    for (JsonNode row : board.path("rows")) {
      for (String gate : List.of("accept", "execute", "merge", "validate")) {
        JsonNode cell = row.path("cells").path(gate);
        JsonNode single = json(server.postJson("/v1/decisions/batch", "{\"requests\": [{\"gate\": \"" + gate
            + "\", \"subject\": \"" + row.path("issue").asText() + "\", \"at\": \"" + AT + "\", \"actor\": \"cto-harness\"}]}",
            OFFICER)).path("results").path(0).path("decision");
        assertThat(cell.path("outcome")).as(row.path("issue") + " " + gate).isEqualTo(single.path("outcome"));
        assertThat(cell.path("reasons")).as(row.path("issue") + " " + gate).isEqualTo(single.path("reasons"));
        assertThat(cell.has("decisionId")).isFalse();
      }
    }
    JsonNode denied = row(board, "DEMO-103").path("cells").path("execute");
    assertThat(denied.path("outcome").asText()).isEqualTo("DENY");
    assertThat(denied.path("reasons")).filteredOn(r -> r.path("severity").asText().equals("deny"))
        .extracting(r -> r.path("code").asText()).containsExactly("approval-missing");
    assertThat(denied.path("facts").path("issue:DEMO-103").asText()).startsWith("planning/DEMO-ISSUES.md:");
    assertThat(denied.path("remedies")).extracting(JsonNode::asText)
        .containsExactly("record an approval of scope execute by JP or Hermes for DEMO-103");
    for (JsonNode row : board.path("rows")) {
      for (JsonNode cell : row.path("cells")) {
        // Every denied cell of the demo says what clears it; an allowed one has nothing to do.
        assertThat(cell.path("remedies").size()).as(row.path("issue") + " " + cell.path("outcome"))
            .matches(n -> cell.path("outcome").asText().equals("DENY") ? n > 0 : n == 0);
        cell.path("reasons").forEach(r -> assertThat(r.path("remedy").asText()).as(r.toString()).isNotBlank());
      }
    }
    assertThat(row(board, "DEMO-101").path("cells").path("execute").path("outcome").asText()).isEqualTo("ALLOW");
    assertThat(row(board, "DEMO-101").path("status").asText()).isEqualTo("ready");
    // The single requests were logged, the board (drawn by dashboard) was not.
    assertThat(json(server.get("/v1/decisions?limit=500", Tokens.READER)).path("items"))
        .extracting(i -> i.path("principal").asText()).contains("officer").noneMatch(p -> p.startsWith("dashboard"));
  }

  @Test
  void filtersAndExplainsOneCell() {
    JsonNode board = json(server.get("/v1/board?at=" + AT + "&gate=execute&issue=DEMO-103&explain=true", Tokens.READER));

    assertThat(board.path("gates")).extracting(JsonNode::asText).containsExactly("execute");
    JsonNode cell = board.path("rows").path(0).path("cells").path("execute");
    assertThat(board.path("rows")).hasSize(1);
    assertThat(cell.path("decision").path("checks").size()).isGreaterThan(5);
    assertThat(cell.path("decision").path("trace").path(0).path("file").asText()).isEqualTo("execute.dslr");
  }

  @Test
  void aLoggedBoardLogsEveryCellUnderOneBoardId() {
    JsonNode board = json(server.get("/v1/board?at=" + AT + "&gate=merge,validate&log=true", OFFICER));

    String boardId = board.path("boardId").asText();
    assertThat(boardId).hasSize(36);
    JsonNode cell = row(board, "DEMO-105").path("cells").path("merge");
    JsonNode logged = json(server.get("/v1/decisions/" + cell.path("decisionId").asText(), Tokens.READER));
    assertThat(logged.path("principal").asText()).isEqualTo("officer (board " + boardId + ")");
    assertThat(logged.path("decision").path("outcome")).isEqualTo(cell.path("outcome"));
    assertThat(json(server.get("/v1/decisions?gate=validate&limit=500", Tokens.READER)).path("items"))
        .filteredOn(i -> i.path("principal").asText().contains(boardId)).hasSize(10);
  }

  @Test
  void refusesWhatItCannotShow() {
    assertThat(server.get("/v1/board?gate=deploy", Tokens.READER)).satisfies(r -> {
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(json(r).path("error").path("path").asText()).isEqualTo("gate");
    });
    assertThat(server.get("/v1/board?colour=red", Tokens.READER).statusCode()).isEqualTo(400);
    assertThat(server.get("/v1/board?at=soon", Tokens.READER).statusCode()).isEqualTo(400);
    assertThat(errorCode(server.get("/v1/board?log=true", Tokens.READER))).isEqualTo("forbidden");
    assertThat(server.get("/v1/board", Tokens.DECIDER).statusCode()).isEqualTo(403);
  }

  @Test
  void aBatchAnswersEachRequestInOrderAndABadOneSinksNoOther() {
    String batch = """
        {"requests": [
          {"gate": "execute", "subject": "DEMO-101", "at": "%1$s", "actor": "cto-harness"},
          {"gate": 1},
          {"gate": "execute", "subject": "DEMO-103", "at": "%1$s", "actor": "cto-harness"},
          {"gate": "accept", "subject": "DEMO-101", "at": "%1$s", "actor": "cto-harness",
           "facts": {"runs": [{"id": "R-X", "issue": "DEMO-101", "via": "cto-harness", "runtimeDefaultActivation": false,
                               "firstMutationAt": "%1$s", "touchedPaths": ["src/a"]}]}}
        ]}""".formatted(AT);

    HttpResponse<Buffer> answer = server.postJson("/v1/decisions/batch", batch, Tokens.DECIDER);

    assertThat(answer.statusCode()).isEqualTo(200);
    JsonNode results = json(answer).path("results");
    assertThat(results).extracting(r -> r.path("status").asInt()).containsExactly(200, 400, 200, 403);
    assertThat(results.path(0).path("decision").path("outcome").asText()).isEqualTo("ALLOW");
    assertThat(results.path(1).path("error").path("path").asText()).isEqualTo("requests[1].gate");
    assertThat(results.path(2).path("decision").path("reasons").path(0).path("code").asText()).isEqualTo("approval-missing");
    assertThat(results.path(3).path("error").path("code").asText()).isEqualTo("facts-not-permitted");
    assertThat(results.path(3).path("error").path("path").asText()).startsWith("requests[3].facts.runs");
    // Each answered decision is in the log, as a single request's would be.
    for (int i : new int[] {0, 2}) {
      String id = results.path(i).path("decision").path("decisionId").asText();
      assertThat(server.get("/v1/decisions/" + id, Tokens.READER).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aBatchOverTheLimitOrNotABatchIsRefusedWhole() {
    String request = "{\"gate\": \"execute\", \"subject\": \"DEMO-101\"}";
    String tooMany = "{\"requests\": [" + String.join(",", java.util.Collections.nCopies(101, request)) + "]}";

    assertThat(server.postJson("/v1/decisions/batch", tooMany, Tokens.DECIDER)).satisfies(r -> {
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(json(r).path("error").path("path").asText()).isEqualTo("requests");
      assertThat(json(r).path("error").path("message").asText()).contains("at most 100");
    });
    assertThat(server.postJson("/v1/decisions/batch", "[" + request + "]", Tokens.DECIDER).statusCode()).isEqualTo(400);
    assertThat(server.postJson("/v1/decisions/batch", "{\"requests\": [], \"extra\": 1}", Tokens.DECIDER).statusCode())
        .isEqualTo(400);
    assertThat(json(server.postJson("/v1/decisions/batch", "{\"requests\": []}", Tokens.DECIDER)).path("results")).isEmpty();
    assertThat(server.postJson("/v1/decisions/batch", "{\"requests\": []}", Tokens.READER).statusCode()).isEqualTo(403);
  }

  private static JsonNode row(JsonNode board, String issue) {
    for (JsonNode row : board.path("rows")) {
      if (row.path("issue").asText().equals(issue)) {
        return row;
      }
    }
    throw new AssertionError("no row " + issue);
  }
}
