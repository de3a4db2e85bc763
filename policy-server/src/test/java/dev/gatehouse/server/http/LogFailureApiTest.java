package dev.gatehouse.server.http;

import static dev.gatehouse.server.http.RunningServer.errorCode;
import static dev.gatehouse.server.http.RunningServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatehouse.server.config.LogSettings;
import dev.gatehouse.server.config.ServerConfig;
import dev.gatehouse.server.log.DecisionLog;
import dev.gatehouse.server.log.LogSync;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A decision the log cannot record is never answered: 503, not ready, and back to ready and 200
 * once it can, even with no decision asked in between.
 */
class LogFailureApiTest {

  @Test
  void answers503AndIsNotReadyWhileTheLogCannotCommitThenDecidesAgain(@TempDir Path policies, @TempDir Path data)
      throws Exception {
    ServerConfig defaults = ServerConfig.defaults(TestPolicies.executeGate(policies)).withPort(0).withData(data);
    // A queue of one decision, so that a single uncommittable append fills it.
    ServerConfig config = new ServerConfig(defaults.policies(), defaults.data(), defaults.host(), defaults.port(),
        defaults.bodyLimit(), defaults.limits(), defaults.tokens(), new LogSettings(true, null, null, 1, LogSync.NORMAL), null,
        defaults.allowedHosts(), defaults.concurrentBodies(), defaults.settle(),
        defaults.batchLimit());
    try (RunningServer server = RunningServer.start(config);
        Connection other = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("decisions.db"));
        Statement lock = other.createStatement()) {
      DecisionLog log = server.server.log().orElseThrow();
      // Another connection holds the write lock: the log's writer cannot commit until it is released.
      lock.execute("BEGIN IMMEDIATE");

      Future<HttpResponse<Buffer>> waiting = server.client().post(server.port(), "127.0.0.1", "/v1/decisions")
          .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(TestPolicies.ALLOW_REQUEST));
      awaitQueueDepth(log, 1);
      HttpResponse<Buffer> overloaded = server.postJson("/v1/decisions", TestPolicies.ALLOW_REQUEST);

      assertThat(overloaded.statusCode()).isEqualTo(503);
      assertThat(errorCode(overloaded)).isEqualTo("log-overloaded");
      assertThat(overloaded.getHeader("Retry-After")).isEqualTo("1");
      // The writer gives up on the lock after its busy timeout: that decision is refused too.
      HttpResponse<Buffer> unavailable = waiting.await();
      assertThat(unavailable.statusCode()).isEqualTo(503);
      assertThat(errorCode(unavailable)).isEqualTo("log-unavailable");
      HttpResponse<Buffer> ready = server.get("/health/ready");
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(json(ready).path("status").asText()).isEqualTo("not-ready");
      assertThat(json(ready).path("message").asText()).startsWith("the decision log is not writable: cannot write decision log");
      assertThat(server.get("/metrics").bodyAsString())
          .contains("gatehouse_log_writable 0.0").contains("gatehouse_log_queue_depth 0.0");

      lock.execute("ROLLBACK");
      // Ready again with no decision asked: a load balancer sends none to a server that is not ready.
      awaitReady(server);
      HttpResponse<Buffer> answered = server.postJson("/v1/decisions", TestPolicies.ALLOW_REQUEST);

      assertThat(answered.statusCode()).isEqualTo(200);
      assertThat(server.get("/health/ready").statusCode()).isEqualTo(200);
      assertThat(server.get("/metrics").bodyAsString()).contains("gatehouse_log_writable 1.0");
      // Only the answered decision is in the log: nothing refused was recorded as if answered.
      assertThat(json(server.get("/v1/decisions")).path("items")).singleElement()
          .satisfies(item -> assertThat(item.path("decisionId")).isEqualTo(json(answered).path("decisionId")));
    }
  }

  private static void awaitReady(RunningServer server) {
    await("ready again").atMost(Duration.ofSeconds(10)).until(() -> server.get("/health/ready").statusCode() == 200);
  }

  private static void awaitQueueDepth(DecisionLog log, int depth) {
    await("queue depth " + depth).atMost(Duration.ofSeconds(5)).until(() -> log.health().queueDepth() == depth);
  }
}
