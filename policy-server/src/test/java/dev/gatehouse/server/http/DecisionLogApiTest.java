package dev.gatehouse.server.http;

import static dev.gatehouse.server.http.LogAssertions.assertLoggedAsAnswered;
import static dev.gatehouse.server.http.RunningServer.errorCode;
import static dev.gatehouse.server.http.RunningServer.json;
import static dev.gatehouse.server.http.TestPolicies.request;
import static dev.gatehouse.server.http.Tokens.DECIDER;
import static dev.gatehouse.server.http.Tokens.READER;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.model.json.RequestReader;
import dev.gatehouse.server.config.ServerConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every decision answered by {@code POST /v1/decisions} is in the log as answered, and the log
 * reads back newest first, filtered and paged, to callers with the {@code read} role.
 */
class DecisionLogApiTest {

  private static final AtomicInteger SUBJECTS = new AtomicInteger();

  @TempDir static Path policies;
  @TempDir static Path data;
  static RunningServer server;

  @BeforeAll
  static void start() {
    TestPolicies.write(TestPolicies.executeGate(policies), "gates/merge.drl", TestPolicies.MERGE);
    server = RunningServer.start(ServerConfig.defaults(policies).withPort(0).withData(data).withTokens(Tokens.all()));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** A subject no other test uses, so that each test reads only its own decisions. */
  private static String newSubject() {
    return "L-" + SUBJECTS.incrementAndGet();
  }

  @Test
  void logsEveryAnsweredDecisionExactlyAsAnsweredWithItsRequestAndPrincipal() throws Exception {
    String subject = newSubject();
    for (String asked : List.of(request("execute", subject, true), request("execute", subject, false),
        request("merge", subject, true), request("undeclared", subject, false))) {
      Instant before = Instant.now();
      HttpResponse<Buffer> answer = server.postJson("/v1/decisions", asked, DECIDER);
      assertThat(answer.statusCode()).isEqualTo(200);
      String id = json(answer).path("decisionId").asText();

      HttpResponse<Buffer> detail = server.get("/v1/decisions/" + id, READER);

      assertThat(detail.statusCode()).isEqualTo(200);
      assertLoggedAsAnswered(detail.bodyAsString(), answer.bodyAsString());
      JsonNode logged = json(detail);
      assertThat(logged.path("decisionId").asText()).isEqualTo(id);
      assertThat(logged.path("principal").asText()).isEqualTo("ci");
      assertThat(Instant.parse(logged.path("loggedAt").asText())).isBetween(before, Instant.now());
      RequestReader reader = new RequestReader();
      assertThat(reader.readRequest(logged.path("request").toString().getBytes(StandardCharsets.UTF_8)))
          .isEqualTo(reader.readRequest(asked.getBytes(StandardCharsets.UTF_8)));
    }
  }

  @Test
  void logsAUtf16RequestAsReadNotAsItsBytes(@TempDir Path open) {
    try (RunningServer anonymous = RunningServer.start(
        ServerConfig.defaults(TestPolicies.executeGate(open.resolve("policies"))).withPort(0).withData(open.resolve("data")))) {
      String asked = "{\"gate\": \"execute\", \"subject\": \"X-\u00e9\", \"at\": \"2026-06-02T10:00:00Z\"}";
      HttpResponse<Buffer> answer = anonymous.send(HttpMethod.POST, "/v1/decisions", "application/json",
          Buffer.buffer(asked.getBytes(StandardCharsets.UTF_16LE)), null);
      assertThat(answer.statusCode()).isEqualTo(200);

      HttpResponse<Buffer> detail = anonymous.get("/v1/decisions/" + json(answer).path("decisionId").asText());

      assertThat(detail.bodyAsString()).doesNotContain("\u0000");
      assertThat(json(detail).path("request").path("subject").asText()).isEqualTo("X-\u00e9");
    }
  }

  @Test
  void recordsAnonymousWithoutAuthenticationAndTheTimeDecidedWhenTheRequestNamedNone(@TempDir Path open) {
    try (RunningServer anonymous = RunningServer.start(
        ServerConfig.defaults(TestPolicies.executeGate(open.resolve("policies"))).withPort(0).withData(open.resolve("data")))) {
      HttpResponse<Buffer> answer = anonymous.postJson("/v1/decisions", "{\"gate\": \"execute\", \"subject\": \"X-9\"}");
      assertThat(answer.statusCode()).isEqualTo(200);

      HttpResponse<Buffer> detail = anonymous.get("/v1/decisions/" + json(answer).path("decisionId").asText());

      assertLoggedAsAnswered(detail.bodyAsString(), answer.bodyAsString());
      assertThat(json(detail).path("principal").asText()).isEqualTo("anonymous");
      // The time is fixed when the decision is made, so a replay decides at the same instant.
      assertThat(json(detail).path("request").path("at")).isEqualTo(json(answer).path("at"));
    }
  }

  @Test
  void countsGroupCommitsAndTheDecisionsTheyWroteInTheMetrics(@TempDir Path open) {
    try (RunningServer fresh = RunningServer.start(
        ServerConfig.defaults(TestPolicies.executeGate(open.resolve("policies"))).withPort(0).withData(open.resolve("data")))) {
      // One at a time: each is answered after its commit, so each commit holds one decision.
      for (int i = 0; i < 3; i++) {
        assertThat(fresh.postJson("/v1/decisions", TestPolicies.ALLOW_REQUEST).statusCode()).isEqualTo(200);
      }

      String metrics = fresh.get("/metrics").bodyAsString();

      assertThat(metrics).contains("gatehouse_log_decisions_total 3.0", "gatehouse_log_commit_seconds_count 3\n");
      assertThat(metrics.lines().filter(l -> l.startsWith("gatehouse_log_commit_seconds_sum ")).findFirst())
          .hasValueSatisfying(l -> assertThat(Double.parseDouble(l.split(" ")[1])).isPositive());
    }
  }

  @Test
  void listsNewestFirstAndFiltersByGateSubjectOutcomeAndTime() {
    String subject = newSubject();
    String allowed = decide(request("execute", subject, true));
    String denied = decide(request("execute", subject, false));
    String merge = decide(request("merge", subject, true));
    decide(request("execute", newSubject(), true));

    List<JsonNode> all = items("subject=" + subject);
    assertThat(ids(all)).containsExactly(merge, denied, allowed);
    JsonNode newest = all.get(0);
    assertThat(newest.path("gate").asText()).isEqualTo("merge");
    assertThat(newest.path("subject").asText()).isEqualTo(subject);
    assertThat(newest.path("outcome").asText()).isEqualTo("DENY");
    assertThat(newest.path("actor").asText()).isEqualTo("cto-harness");
    assertThat(newest.path("principal").asText()).isEqualTo("ci");
    assertThat(newest.path("policyRevision").asText()).isEqualTo(server.server.engine().active().orElseThrow().revision());

    assertThat(ids(items("subject=" + subject + "&gate=execute"))).containsExactly(denied, allowed);
    assertThat(ids(items("subject=" + subject + "&outcome=DENY"))).containsExactly(merge, denied);
    assertThat(ids(items("subject=" + subject + "&outcome=allow"))).containsExactly(allowed);
    assertThat(ids(items("subject=" + subject + "&gate=merge&outcome=ALLOW"))).isEmpty();

    String deniedAt = encode(all.get(1).path("loggedAt").asText());
    String mergedAt = encode(newest.path("loggedAt").asText());
    // from is inclusive, to exclusive: consecutive windows neither overlap nor leave a gap.
    assertThat(ids(items("subject=" + subject + "&from=" + deniedAt))).containsExactly(merge, denied);
    assertThat(ids(items("subject=" + subject + "&to=" + deniedAt))).containsExactly(allowed);
    assertThat(ids(items("subject=" + subject + "&from=" + deniedAt + "&to=" + mergedAt))).containsExactly(denied);
  }

  @Test
  void pagesWithoutDuplicatesOrGapsWhileNewDecisionsArrive() {
    String subject = newSubject();
    List<String> decided = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      decided.add(decide(request("execute", subject, i % 2 == 0)));
    }

    List<String> paged = new ArrayList<>();
    String cursor = null;
    for (int page = 0; page < 10; page++) {
      JsonNode listing = json(server.get("/v1/decisions?limit=3&subject=" + subject
          + (cursor == null ? "" : "&cursor=" + encode(cursor)), READER));
      listing.path("items").forEach(item -> paged.add(item.path("decisionId").asText()));
      assertThat(listing.path("items").size()).isLessThanOrEqualTo(3);
      // Decisions made between two pages are newer than the first page: they never shift the next.
      decide(request("execute", subject, true));
      cursor = listing.path("nextCursor").isNull() ? null : listing.path("nextCursor").asText();
      if (cursor == null) {
        break;
      }
    }

    assertThat(cursor).as("the last page has no next cursor").isNull();
    Collections.reverse(decided);
    assertThat(paged).containsExactlyElementsOf(decided);
  }

  @Test
  void refusesBadParametersWith400NamingTheParameter() {
    assertInvalid("subjet=DEMO-103", "subjet");
    assertInvalid("outcome=MAYBE", "outcome");
    assertInvalid("limit=ten", "limit");
    assertInvalid("limit=0", "limit");
    assertInvalid("limit=501", "limit");
    assertInvalid("from=yesterday", "from");
    assertInvalid("to=2026-13-01T00:00:00Z", "to");
    assertInvalid("from=2026-06-02T00:00:00Z&to=2026-06-01T00:00:00Z", "from");
    assertInvalid("cursor=not-a-cursor", "cursor");
    assertThat(server.get("/v1/decisions?limit=500", READER).statusCode()).isEqualTo(200);
  }

  @Test
  void answers404ForAnUnknownDecision() {
    HttpResponse<Buffer> detail = server.get("/v1/decisions/no-such-decision", READER);
    assertThat(detail.statusCode()).isEqualTo(404);
    assertThat(errorCode(detail)).isEqualTo("decision-not-found");
    assertThat(json(detail).path("error").path("message").asText()).isEqualTo("no logged decision 'no-such-decision'");

    HttpResponse<Buffer> replay = server.postJson("/v1/decisions/no-such-decision/replay", "", READER);
    assertThat(replay.statusCode()).isEqualTo(404);
    assertThat(errorCode(replay)).isEqualTo("decision-not-found");
  }

  @Test
  void readingTheLogNeedsTheReadRole() {
    String id = decide(request("execute", newSubject(), true));
    for (String path : List.of("/v1/decisions", "/v1/decisions/" + id)) {
      assertThat(server.get(path).statusCode()).as(path).isEqualTo(401);
      HttpResponse<Buffer> decideOnly = server.get(path, DECIDER);
      assertThat(decideOnly.statusCode()).as(path).isEqualTo(403);
      assertThat(errorCode(decideOnly)).isEqualTo("forbidden");
      assertThat(server.get(path, READER).statusCode()).as(path).isEqualTo(200);
    }
    assertThat(server.postJson("/v1/decisions/" + id + "/replay", "").statusCode()).isEqualTo(401);
    assertThat(server.postJson("/v1/decisions/" + id + "/replay", "", DECIDER).statusCode()).isEqualTo(403);
    assertThat(server.postJson("/v1/decisions/" + id + "/replay", "", READER).statusCode()).isEqualTo(200);
  }

  private static String decide(String request) {
    HttpResponse<Buffer> answer = server.postJson("/v1/decisions", request, DECIDER);
    assertThat(answer.statusCode()).isEqualTo(200);
    return json(answer).path("decisionId").asText();
  }

  private static List<JsonNode> items(String query) {
    HttpResponse<Buffer> listing = server.get("/v1/decisions?" + query, READER);
    assertThat(listing.statusCode()).as(query).isEqualTo(200);
    List<JsonNode> items = new ArrayList<>();
    json(listing).path("items").forEach(items::add);
    return items;
  }

  private static List<String> ids(List<JsonNode> items) {
    return items.stream().map(item -> item.path("decisionId").asText()).toList();
  }

  private static void assertInvalid(String query, String parameter) {
    HttpResponse<Buffer> answer = server.get("/v1/decisions?" + query, READER);
    assertThat(answer.statusCode()).as(query).isEqualTo(400);
    assertThat(errorCode(answer)).as(query).isEqualTo("invalid-request");
    assertThat(json(answer).path("error").path("path").asText()).as(query).isEqualTo(parameter);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
