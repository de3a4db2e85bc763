package dev.gatehouse.server.cli;

import static dev.gatehouse.server.cli.CliTest.gatehouse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.model.json.Json;
import dev.gatehouse.server.GatehouseServer;
import dev.gatehouse.server.config.ConfigFile;
import dev.gatehouse.server.config.ServerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One config file, one engine: serve, eval and replay bound an evaluation the same way. */
class SameLimitsEverywhereTest {

  // Two rules fire for this request (no contract, no approval), one more than the config allows.
  static final String REQUEST = """
      {"gate": "execute", "subject": "X-1", "at": "2026-06-02T10:00:00Z", "actor": "cto-harness",
       "facts": {"issues": [{"id": "X-1", "type": "HITL", "status": "candidate"}]}}
      """;

  @TempDir Path dir;

  @Test
  void aTightLimitInTheConfigGivesTheSameEvaluationErrorFromServeEvalAndReplay() throws Exception {
    Path config = Files.writeString(dir.resolve("gatehouse.yaml"), "limits:\n  maxFirings: 1\n");
    Path request = Files.writeString(dir.resolve("request.json"), REQUEST);
    Path data = dir.resolve("data");
    Path policies = Path.of(System.getProperty("gatehouse.policies"));

    CliTest.Run eval = gatehouse("eval", "--config", config.toString(), "--request", request.toString(),
        "--policies", policies.toString(), "--json");
    JsonNode evaluated = Json.mapper().readTree(eval.out());

    ServerConfig serving = ConfigFile.read(config)
        .overriddenBy(new ConfigFile(null, 0, policies, data, null, null, null, null, null, null))
        .resolve(null);
    JsonNode served;
    try (GatehouseServer server = GatehouseServer.start(serving)) {
      HttpResponse<String> answer = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/decisions"))
              .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(REQUEST)).build(),
          HttpResponse.BodyHandlers.ofString());
      served = Json.mapper().readTree(answer.body());
    }

    for (JsonNode decision : new JsonNode[] {evaluated, served}) {
      assertThat(decision.path("outcome").asText()).isEqualTo("DENY");
      assertThat(decision.path("reasons")).anySatisfy(reason -> {
        assertThat(reason.path("code").asText()).isEqualTo("evaluation-error");
        assertThat(reason.path("message").asText()).startsWith("evaluation stopped after 1 rule firings");
      });
    }
    // The server logged its decision: replayed with the same config nothing changes; with the
    // default limits the replay decides without the error.
    CliTest.Run same = gatehouse("replay", "--config", config.toString(), "--data", data.toString(),
        "--policies", policies.toString(), "--json");
    CliTest.Run defaults = gatehouse("replay", "--data", data.toString(), "--policies", policies.toString(), "--json");
    assertThat(Json.mapper().readTree(same.out()).path("changed").asInt()).as(same.err()).isZero();
    assertThat(Json.mapper().readTree(defaults.out()).path("changed").asInt()).as(defaults.err()).isEqualTo(1);
  }
}
