package dev.gatehouse.server.http;

import static dev.gatehouse.server.http.LogAssertions.assertLoggedAsAnswered;
import static dev.gatehouse.server.log.TestDecisions.assertIntegrity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.model.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durability promise of {@code gatehouse serve}: a decision that was answered is in the log,
 * exactly as answered, also when the process is killed with SIGKILL under load.
 */
class ServerKillTest {

  private static final int CLIENTS = 4;
  private static final Duration MAX_LOAD = Duration.ofSeconds(30);
  private static final int ENOUGH = 400;

  @TempDir Path dir;

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void everyAnsweredDecisionSurvivesSigkillOfTheServerByteForByte() throws Exception {
    Path policies = TestPolicies.executeGate(dir.resolve("policies"));
    Path data = dir.resolve("data");
    Map<String, String> answered = new ConcurrentHashMap<>();
    AtomicInteger cutOff = new AtomicInteger();

    try (ServerProcess first = ServerProcess.start(policies, data, dir.resolve("first.log"))) {
      AtomicBoolean stop = new AtomicBoolean();
      ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
      List<Future<Void>> load = new ArrayList<>();
      try {
        for (int c = 0; c < CLIENTS; c++) {
          int client = c;
          load.add(clients.submit(() -> decideUntilStopped(first.port(), client, stop, answered, cutOff)));
        }
        await("enough answered decisions").atMost(MAX_LOAD).pollInterval(Duration.ofMillis(5))
            .until(() -> answered.size() >= ENOUGH);
        // Clients keep sending: the kill lands amid requests being decided, logged and answered.
        first.kill();
      } finally {
        stop.set(true);
        clients.shutdown();
        assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).as("clients stopped").isTrue();
      }
      for (Future<Void> client : load) {
        client.get();
      }
    }

    assertThat(answered).as("decisions answered before the kill").isNotEmpty();
    assertThat(cutOff.get()).as("clients whose requests the kill cut off").isPositive();
    assertIntegrity(data.resolve("decisions.db"));
    try (ServerProcess restarted = ServerProcess.start(policies, data, dir.resolve("restarted.log"))) {
      for (Map.Entry<String, String> decision : answered.entrySet()) {
        HttpResponse<String> detail = send(restarted.port(), HttpRequest.newBuilder()
            .uri(URI.create("http://127.0.0.1:" + restarted.port() + "/v1/decisions/" + decision.getKey())).GET());
        assertThat(detail.statusCode()).as("logged: %s", decision.getKey()).isEqualTo(200);
        assertLoggedAsAnswered(detail.body(), decision.getValue());
      }
    }
  }

  /** Sends decisions, ALLOW and DENY in turn, recording each 200 by id, until stopped or the server is gone. */
  private Void decideUntilStopped(int port, int client, AtomicBoolean stop, Map<String, String> answered,
      AtomicInteger cutOff) {
    for (int i = 0; !stop.get(); i++) {
      String request = TestPolicies.request("execute", "K-" + client + "-" + i, i % 2 == 0);
      HttpResponse<String> answer;
      try {
        answer = send(port, HttpRequest.newBuilder().uri(URI.create("http://127.0.0.1:" + port + "/v1/decisions"))
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(request)));
      } catch (IOException e) {
        cutOff.incrementAndGet(); // the server was killed
        return null;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
      if (answer.statusCode() == 200) {
        answered.put(decisionId(answer.body()), answer.body());
      }
    }
    return null;
  }

  private HttpResponse<String> send(int port, HttpRequest.Builder request) throws IOException, InterruptedException {
    return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private static String decisionId(String body) {
    try {
      JsonNode decision = Json.mapper().readTree(body);
      return decision.path("decisionId").asText();
    } catch (IOException e) {
      throw new AssertionError("an answer that is not JSON: " + body, e);
    }
  }
}
