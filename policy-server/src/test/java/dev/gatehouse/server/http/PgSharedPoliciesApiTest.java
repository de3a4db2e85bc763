package dev.gatehouse.server.http;

import static dev.gatehouse.server.http.RunningServer.errorCode;
import static dev.gatehouse.server.http.RunningServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.config.LogSettings;
import dev.gatehouse.server.config.ServerConfig;
import dev.gatehouse.server.log.PostgresUrl;
import dev.gatehouse.server.log.TestPostgres;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two replicas in one JVM sharing a PostgreSQL database: one active policy set, activated on either
 * and taken up by both; each decision names its revision and is read and verified from both; a
 * replica that cannot compile an activated set keeps its last and is not ready, saying why.
 */
class PgSharedPoliciesApiTest {

  @RegisterExtension static final TestPostgres.ClassDatabase database = new TestPostgres.ClassDatabase();

  @TempDir Path dir;

  private static ServerConfig replica(Path policies, PostgresUrl url) {
    return ServerConfig.defaults(policies).withPort(0).withLog(LogSettings.DEFAULT.withPostgres(url));
  }

  @Test
  void anActivationOnOneReplicaIsTakenUpByTheOtherAndEveryDecisionNamesItsRevision() {
    PostgresUrl url = database.freshSchema();
    Path seed = TestPolicies.executeGate(dir.resolve("seed"));
    // The second replica's directory differs: the database's set wins, the directory only seeds.
    Path other = TestPolicies.write(dir.resolve("other"), "gates/merge.drl", TestPolicies.MERGE);
    try (RunningServer a = RunningServer.start(replica(seed, url));
        RunningServer b = RunningServer.start(replica(other, url))) {
      String seeded = json(a.get("/v1/policies")).path("revision").asText();
      assertThat(json(b.get("/v1/policies")).path("revision").asText()).isEqualTo(seeded);
      HttpResponse<Buffer> before = b.postJson("/v1/decisions", TestPolicies.ALLOW_REQUEST);
      assertThat(json(before).path("policy").path("revision").asText()).isEqualTo(seeded);

      String both = "{\"files\": {\"gates/execute.drl\": " + AuthTest.quoted(TestPolicies.EXECUTE)
          + ", \"gates/merge.drl\": " + AuthTest.quoted(TestPolicies.MERGE) + "}}";
      HttpResponse<Buffer> activated = a.postJson("/v1/policies/activate", both);

      assertThat(activated.statusCode()).as(activated.bodyAsString()).isEqualTo(200);
      JsonNode answer = json(activated);
      String revision = answer.path("revision").asText();
      assertThat(revision).isNotEqualTo(seeded);
      assertThat(answer.path("serving").asBoolean()).isTrue();
      assertThat(answer.path("activatedBy").asText()).isEqualTo("anonymous");
      b.awaitPolicies(null, Duration.ofSeconds(2), p -> p.path("revision").asText().equals(revision));
      HttpResponse<Buffer> merge = b.postJson("/v1/decisions", TestPolicies.request("merge", "X-1", true));
      assertThat(json(merge).path("reasons").get(0).path("code").asText()).isEqualTo("merge-frozen");
      assertThat(json(merge).path("policy").path("revision").asText()).isEqualTo(revision);

      // Each replica reads, and verifies, the other's decisions: one log, one chain.
      String fromB = json(merge).path("decisionId").asText();
      String fromBefore = json(before).path("decisionId").asText();
      assertThat(a.get("/v1/decisions/" + fromB).statusCode()).isEqualTo(200);
      assertThat(json(a.get("/v1/decisions")).path("items")).hasSize(2);
      assertThat(json(a.get("/v1/decisions/verify"))).isEqualTo(json(b.get("/v1/decisions/verify")));
      assertThat(json(a.get("/v1/decisions/verify")).path("intact").asBoolean()).isTrue();
      // Replayed as decided on the other replica, from the log's snapshot of the seeded revision.
      HttpResponse<Buffer> replay = a.postJson("/v1/decisions/" + fromBefore + "/replay?mode=as-decided", "");
      assertThat(replay.statusCode()).as(replay.bodyAsString()).isEqualTo(200);
      assertThat(json(replay).path("faults")).isEmpty();
    }
  }

  @Test
  void aSetThatDoesNotCompileIsNotActivatedAndADirectoryServerRefusesActivation() {
    PostgresUrl url = database.freshSchema();
    Path seed = TestPolicies.executeGate(dir.resolve("seed"));
    try (RunningServer shared = RunningServer.start(replica(seed, url));
        RunningServer alone = RunningServer.start(seed)) {
      String active = json(shared.get("/v1/policies")).path("revision").asText();
      String broken = "{\"files\": {\"gates/broken.drl\": " + AuthTest.quoted(TestPolicies.BROKEN) + "}}";

      HttpResponse<Buffer> refused = shared.postJson("/v1/policies/activate", broken);

      assertThat(refused.statusCode()).isEqualTo(400);
      assertThat(errorCode(refused)).isEqualTo("policy-compile-error");
      assertThat(json(refused).path("error").path("message").asText())
          .startsWith("the policy set does not compile, nothing was activated: gates/broken.drl:");
      assertThat(json(shared.get("/v1/policies")).path("revision").asText()).isEqualTo(active);
      assertThat(shared.get("/health/ready").statusCode()).isEqualTo(200);

      HttpResponse<Buffer> directory = alone.postJson("/v1/policies/activate", broken);
      assertThat(directory.statusCode()).isEqualTo(409);
      assertThat(errorCode(directory)).isEqualTo("activation-unavailable");
    }
  }

  @Test
  void aReplicaThatCannotCompileTheActivatedSetKeepsItsLastAndIsNotReadyUntilOneItCanIsActivated() {
    PostgresUrl url = database.freshSchema();
    Path seed = TestPolicies.executeGate(dir.resolve("seed"));
    try (RunningServer a = RunningServer.start(replica(seed, url));
        RunningServer b = RunningServer.start(replica(seed, url), new FaultyCompiler())) {
      String seeded = json(b.get("/v1/policies")).path("revision").asText();
      // The marker is a comment: the real compiler of replica a compiles the set, b's fails on it.
      String marked = "{\"files\": {\"gates/execute.drl\": " + AuthTest.quoted(TestPolicies.EXECUTE + FaultyCompiler.NPE + "\n")
          + "}}";

      HttpResponse<Buffer> activated = a.postJson("/v1/policies/activate", marked);

      assertThat(activated.statusCode()).as(activated.bodyAsString()).isEqualTo(200);
      String revision = json(activated).path("revision").asText();
      JsonNode notReady = Polling.await(Duration.ofSeconds(5), "replica b not ready",
          () -> json(b.get("/health/ready")), h -> h.path("status").asText().equals("not-ready"));
      assertThat(notReady.path("message").asText())
          .startsWith("the last policy reload failed, still serving " + seeded + ": ")
          .contains("internal error");
      assertThat(json(b.postJson("/v1/decisions", TestPolicies.ALLOW_REQUEST)).path("policy").path("revision").asText())
          .isEqualTo(seeded);
      assertThat(json(b.get("/v1/policies")).path("lastReloadError").path("revision").asText()).isEqualTo(revision);
      assertThat(a.get("/health/ready").statusCode()).isEqualTo(200);

      String good = "{\"files\": {\"gates/execute.drl\": " + AuthTest.quoted(TestPolicies.EXECUTE)
          + ", \"gates/merge.drl\": " + AuthTest.quoted(TestPolicies.MERGE) + "}}";
      String fixed = json(a.postJson("/v1/policies/activate", good)).path("revision").asText();

      b.awaitPolicies(null, Duration.ofSeconds(5), p -> p.path("revision").asText().equals(fixed));
      Polling.await(Duration.ofSeconds(5), "replica b ready", () -> b.get("/health/ready").statusCode(), s -> s == 200);
    }
  }
}
