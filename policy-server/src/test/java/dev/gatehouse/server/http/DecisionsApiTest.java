package dev.gatehouse.server.http;

import static dev.gatehouse.server.http.RunningServer.errorCode;
import static dev.gatehouse.server.http.RunningServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.model.Decision;
import dev.gatehouse.model.json.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DecisionsApiTest extends ExecuteGateServer {

  @Test
  void allowsWhenNoRuleDenies() {
    HttpResponse<Buffer> response = server.postJson("/v1/decisions", TestPolicies.ALLOW_REQUEST);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/json");
    JsonNode decision = json(response);
    assertThat(decision.path("outcome").asText()).isEqualTo("ALLOW");
    assertThat(decision.path("checks").get(0).path("status").asText()).isEqualTo("passed");
    assertThat(decision.path("policy").path("revision").asText())
        .isEqualTo(server.server.engine().active().orElseThrow().revision());
  }

  @Test
  void deniesWithReasonAndTraceAsA200() {
    HttpResponse<Buffer> response = server.postJson("/v1/decisions", TestPolicies.DENY_REQUEST);

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode decision = json(response);
    assertThat(decision.path("outcome").asText()).isEqualTo("DENY");
    assertThat(decision.path("reasons").get(0).path("code").asText()).isEqualTo("issue-unknown");
    assertThat(decision.path("reasons").get(0).path("message").asText()).isEqualTo("X-2 is not a known issue");
    assertThat(decision.path("trace").get(0).path("file").asText()).isEqualTo("gates/execute.drl");
  }

  @Test
  void writesTheDecisionWithTheSharedMapper() throws Exception {
    byte[] body = server.postJson("/v1/decisions", TestPolicies.DENY_REQUEST).body().getBytes();

    Decision decision = Json.mapper().readValue(body, Decision.class);
    assertThat(Json.mapper().writeValueAsBytes(decision)).isEqualTo(body);
  }

  @Test
  void deniesAnUndeclaredGateWithNoPolicy() {
    HttpResponse<Buffer> response = server.postJson("/v1/decisions",
        "{\"gate\": \"deploy\", \"subject\": \"X-1\", \"at\": \"2026-06-02T10:00:00Z\"}");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode decision = json(response);
    assertThat(decision.path("outcome").asText()).isEqualTo("DENY");
    assertThat(decision.path("reasons").get(0).path("code").asText()).isEqualTo("no-policy");
  }

  @Test
  void countsDecisionsByGateAndOutcomeInMetrics() {
    server.postJson("/v1/decisions", TestPolicies.ALLOW_REQUEST);
    server.postJson("/v1/decisions", "{\"gate\": \"nonsense-gate\", \"subject\": \"X-1\"}");

    String metrics = server.get("/metrics").bodyAsString();
    assertThat(metrics)
        .contains("gatehouse_decisions_total{gate=\"execute\",outcome=\"ALLOW\"}")
        .contains("gatehouse_decisions_total{gate=\"undeclared\",outcome=\"DENY\"}")
        .doesNotContain("nonsense-gate")
        .contains("gatehouse_decision_duration_seconds_bucket")
        .contains("gatehouse_policy_reloads_total 1.0")
        .contains("gatehouse_policy_reload_failures_total 0.0")
        .contains("gatehouse_policy_active_revision{revision=\"" + server.server.engine().active().orElseThrow().revision() + "\"} 1.0");
  }

  @Test
  void answersEightConcurrentClientsCorrectly() throws Exception {
    ExecutorService clients = Executors.newFixedThreadPool(8);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int c = 0; c < 8; c++) {
        results.add(clients.submit(() -> {
          int correct = 0;
          for (int i = 0; i < 500; i++) {
            boolean allow = i % 2 == 0;
            HttpResponse<Buffer> response = server.postJson("/v1/decisions",
                allow ? TestPolicies.ALLOW_REQUEST : TestPolicies.DENY_REQUEST);
            if (response.statusCode() == 200
                && json(response).path("outcome").asText().equals(allow ? "ALLOW" : "DENY")) {
              correct++;
            }
          }
          return correct;
        }));
      }
      for (Future<Integer> result : results) {
        assertThat(result.get()).isEqualTo(500);
      }
    } finally {
      clients.shutdownNow();
    }
  }

  @Test
  void isLiveAndReady() {
    assertThat(server.get("/health/live").statusCode()).isEqualTo(200);
    HttpResponse<Buffer> ready = server.get("/health/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(json(ready).path("status").asText()).isEqualTo("ready");
  }

  @Test
  void servesItsOpenApiDocument() {
    HttpResponse<Buffer> response = server.get("/openapi.yaml");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsString()).startsWith("openapi: 3.1.0");
  }

  @Test
  void answers503WithoutALoadablePolicySet(@TempDir Path dir) {
    try (RunningServer broken = RunningServer.start(TestPolicies.write(dir, "gates/broken.drl", TestPolicies.BROKEN))) {
      HttpResponse<Buffer> decision = broken.postJson("/v1/decisions", TestPolicies.ALLOW_REQUEST);
      assertThat(decision.statusCode()).isEqualTo(503);
      assertThat(errorCode(decision)).isEqualTo("policies-unavailable");
      assertThat(broken.get("/health/ready").statusCode()).isEqualTo(503);
      assertThat(broken.get("/health/live").statusCode()).isEqualTo(200);
      JsonNode policies = json(broken.get("/v1/policies"));
      assertThat(policies.path("revision").isNull()).isTrue();
      assertThat(policies.path("lastReloadError").path("issues").get(0).path("file").asText()).isEqualTo("gates/broken.drl");
    }
  }

  @Test
  void decidesWithTheBundledPolicies() {
    try (RunningServer real = RunningServer.start(TestPolicies.bundled())) {
      assertThat(real.server.engine().active()).as("the bundled policy set compiles").isPresent();
      HttpResponse<Buffer> response = real.postJson("/v1/decisions",
          "{\"gate\": \"execute\", \"subject\": \"CTO-WORK-049\", \"at\": \"2026-06-02T10:00:00Z\", \"actor\": \"cto-harness\"}");
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(json(response).path("outcome").asText()).isEqualTo("DENY");
    }
  }

  @Test
  void aFactFromAfterTheDecisionsTimeIsIgnoredAndListedAsSuch() {
    String request = """
        {"gate": "execute", "subject": "T-1", "at": "2026-06-02T10:00:00Z", "actor": "cto-harness",
         "facts": {"issues": [{"id": "T-1", "type": "HITL", "status": "ready"}],
                   "approvals": [{"id": "A-LATE", "issue": "T-1", "approver": "JP", "scope": "execute",
                                  "statement": "ok", "recordedAt": "2026-06-03T09:00:00Z"}]}}
        """;
    try (RunningServer real = RunningServer.start(TestPolicies.bundled())) {
      JsonNode decision = json(real.postJson("/v1/decisions", request));

      assertThat(decision.path("outcome").asText()).isEqualTo("DENY");
      assertThat(decision.path("reasons")).extracting(r -> r.path("code").asText()).contains("approval-missing");
      assertThat(decision.path("ignored")).singleElement().satisfies(ignored -> {
        assertThat(ignored.path("ref").asText()).isEqualTo("approval:A-LATE");
        assertThat(ignored.path("why").asText())
            .isEqualTo("dated 2026-06-03T09:00:00Z, after the decision's time 2026-06-02T10:00:00Z");
      });
      assertThat(decision.path("sources").has("approval:A-LATE")).isFalse();
    }
  }
}
