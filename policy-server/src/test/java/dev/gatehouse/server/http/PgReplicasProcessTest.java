package dev.gatehouse.server.http;

import static dev.gatehouse.server.http.LogAssertions.assertLoggedAsAnswered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.model.json.Json;
import dev.gatehouse.server.log.DecisionLogs;
import dev.gatehouse.server.log.DecisionReader;
import dev.gatehouse.server.log.LogOptions;
import dev.gatehouse.server.log.LoggedDecision;
import dev.gatehouse.server.log.PostgresUrl;
import dev.gatehouse.server.log.TcpProxy;
import dev.gatehouse.server.log.TestPostgres;
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
import java.util.concurrent.CompletableFuture;
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
 * Three replicas of {@code gatehouse serve}, each a process of its own, sharing one PostgreSQL
 * database through a TCP proxy the test can cut: an activation reaches all three; under load on
 * all three, one is killed with SIGKILL and no decision it (or any other) answered is missing from
 * PostgreSQL, while the others keep answering; then the database goes away, every replica answers
 * 503 {@code log-unavailable} and is not ready, and all recover when it comes back, without restart.
 */
class PgReplicasProcessTest {

  private static final int CLIENTS_PER_REPLICA = 2;
  private static final int ENOUGH = 300;
  private static final Duration MAX_LOAD = Duration.ofSeconds(60);

  @TempDir Path dir;

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void threeReplicasShareOneLogAndOnePolicySetThroughAKillAndADatabaseOutage() throws Exception {
    Path policies = TestPolicies.executeGate(dir.resolve("policies"));
    try (TestPostgres.Database database = TestPostgres.createDatabase(); TcpProxy proxy = TcpProxy.to(database.url())) {
      String logUrl = TestPostgres.text(proxy.route(database.url()));
      List<ServerProcess> replicas = new ArrayList<>();
      try {
        // Started at once against the empty database: exactly one of them seeds it.
        List<CompletableFuture<ServerProcess>> starting = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          Path log = dir.resolve("replica-" + i + ".log");
          starting.add(CompletableFuture.supplyAsync(() -> start(log, policies, logUrl)));
        }
        for (CompletableFuture<ServerProcess> replica : starting) {
          replicas.add(replica.join());
        }
        assertThat(replicas.stream().map(ServerProcess::log).filter(log -> log.contains("seeded the shared policy set")))
            .as("replicas that seeded the database").hasSize(1);

        String revision = activationReachesAll(replicas);
        Map<String, String> answered = new ConcurrentHashMap<>();
        AtomicInteger killedAnswered = loadAndKill(replicas, answered);
        assertThat(killedAnswered.get()).as("decisions the killed replica answered").isPositive();
        everyAnsweredDecisionIsInPostgres(database.url(), answered, revision);
        JsonNode verified = json(send(replicas.get(0).port(), "GET", "/v1/decisions/verify", null));
        assertThat(verified.path("intact").asBoolean()).as(verified.toString()).isTrue();
        assertThat(verified.path("checked").asLong()).isGreaterThanOrEqualTo(answered.size());

        databaseOutage(proxy, replicas.subList(0, 2));
      } finally {
        for (ServerProcess replica : replicas) {
          replica.close();
        }
      }
    }
  }

  private static ServerProcess start(Path log, Path policies, String logUrl) {
    try {
      return ServerProcess.start(log, "--policies", policies.toString(), "--no-workspace", "--log-url", logUrl);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** Activates a second gate on replica 0; all three decide with it within 2 s. Returns its revision. */
  private String activationReachesAll(List<ServerProcess> replicas) throws Exception {
    for (ServerProcess replica : replicas) {
      // A first request warms each replica's handlers, so that the 2 s below measure the switch.
      assertThat(send(replica.port(), "GET", "/v1/policies", null).statusCode()).isEqualTo(200);
    }
    String both = "{\"files\": {\"gates/execute.drl\": " + AuthTest.quoted(TestPolicies.EXECUTE)
        + ", \"gates/merge.drl\": " + AuthTest.quoted(TestPolicies.MERGE) + "}}";
    HttpResponse<String> activated = send(replicas.get(0).port(), "POST", "/v1/policies/activate", both);
    assertThat(activated.statusCode()).as(activated.body()).isEqualTo(200);
    String revision = json(activated).path("revision").asText();
    long since = System.nanoTime();
    for (ServerProcess replica : replicas) {
      await("replica on port " + replica.port() + " activates " + revision).atMost(Duration.ofSeconds(2))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> json(send(replica.port(), "GET", "/v1/policies", null)).path("revision").asText().equals(revision));
    }
    System.out.printf("activation reached 3 replicas in %d ms%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since));
    return revision;
  }

  /**
   * Sends decisions to every replica until enough are answered, kills replica 2 amid requests, and
   * goes on until the other two have answered as many again. Returns how many replica 2 answered.
   */
  private AtomicInteger loadAndKill(List<ServerProcess> replicas, Map<String, String> answered) throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger cutOff = new AtomicInteger();
    List<AtomicInteger> perReplica = List.of(new AtomicInteger(), new AtomicInteger(), new AtomicInteger());
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS_PER_REPLICA * replicas.size());
    List<Future<?>> load = new ArrayList<>();
    try {
      for (int r = 0; r < replicas.size(); r++) {
        for (int c = 0; c < CLIENTS_PER_REPLICA; c++) {
          int replica = r;
          String client = r + "-" + c;
          load.add(clients.submit(() -> decideUntilStopped(replicas.get(replica).port(), client, stop, answered,
              perReplica.get(replica), cutOff)));
        }
      }
      await("enough answered").atMost(MAX_LOAD).pollInterval(Duration.ofMillis(5))
          .until(() -> answered.size() >= ENOUGH && perReplica.get(2).get() > 0);
      replicas.get(2).kill();
      int atKill = perReplica.get(0).get() + perReplica.get(1).get();
      await("the other replicas keep answering").atMost(MAX_LOAD).pollInterval(Duration.ofMillis(5))
          .until(() -> perReplica.get(0).get() + perReplica.get(1).get() >= atKill + ENOUGH / 2);
    } finally {
      stop.set(true);
      clients.shutdown();
      assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).as("clients stopped").isTrue();
    }
    for (Future<?> client : load) {
      client.get();
    }
    assertThat(cutOff.get()).as("clients of the killed replica cut off").isPositive();
    return perReplica.get(2);
  }

  private Void decideUntilStopped(int port, String client, AtomicBoolean stop, Map<String, String> answered,
      AtomicInteger count, AtomicInteger cutOff) {
    for (int i = 0; !stop.get(); i++) {
      HttpResponse<String> answer;
      try {
        answer = send(port, "POST", "/v1/decisions", TestPolicies.request("execute", "R-" + client + "-" + i, i % 2 == 0));
      } catch (IOException e) {
        cutOff.incrementAndGet(); // the replica was killed
        return null;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
      if (answer.statusCode() == 200) {
        answered.put(json(answer).path("decisionId").asText(), answer.body());
        count.incrementAndGet();
      }
    }
    return null;
  }

  /** Each answered decision is in the database exactly as answered, on the activated revision. */
  private static void everyAnsweredDecisionIsInPostgres(PostgresUrl url, Map<String, String> answered, String revision) {
    try (DecisionReader log = DecisionLogs.openReader(LogOptions.postgres(url))) {
      for (Map.Entry<String, String> decision : answered.entrySet()) {
        LoggedDecision logged = log.find(decision.getKey()).orElseThrow(
            () -> new AssertionError("answered but not in PostgreSQL: " + decision.getKey()));
        assertLoggedAsAnswered("{\"decision\":" + logged.decisionJson() + "}", decision.getValue());
        assertThat(logged.policyRevision()).isEqualTo(revision);
      }
    }
  }

  /** The database goes away: 503 log-unavailable and not ready on every replica; back without restart. */
  private void databaseOutage(TcpProxy proxy, List<ServerProcess> replicas) throws Exception {
    proxy.cut();
    for (ServerProcess replica : replicas) {
      HttpResponse<String> refused = send(replica.port(), "POST", "/v1/decisions", TestPolicies.ALLOW_REQUEST);
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
      assertThat(json(refused).path("error").path("code").asText()).isEqualTo("log-unavailable");
      assertThat(refused.headers().firstValue("Retry-After")).contains("1");
      HttpResponse<String> ready = send(replica.port(), "GET", "/health/ready", null);
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(json(ready).path("message").asText()).startsWith("the decision log is not writable: cannot write decision log");
      assertThat(send(replica.port(), "GET", "/health/live", null).statusCode()).isEqualTo(200);
    }

    proxy.restore();

    for (ServerProcess replica : replicas) {
      await("replica on port " + replica.port() + " ready again").atMost(Duration.ofSeconds(15))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> send(replica.port(), "GET", "/health/ready", null).statusCode() == 200);
      HttpResponse<String> answered = send(replica.port(), "POST", "/v1/decisions", TestPolicies.ALLOW_REQUEST);
      assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
    }
  }

  private HttpResponse<String> send(int port, String method, String path, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder().uri(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(20));
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private static JsonNode json(HttpResponse<String> response) {
    try {
      return Json.mapper().readTree(response.body());
    } catch (IOException e) {
      throw new AssertionError("an answer that is not JSON: " + response.body(), e);
    }
  }
}
