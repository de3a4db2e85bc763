package dev.gatehouse.server.log;

import static dev.gatehouse.server.log.TestDecisions.assertIntegrity;
import static dev.gatehouse.server.log.TestDecisions.connect;
import static dev.gatehouse.server.log.TestDecisions.logged;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.gatehouse.model.Outcome;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteFailureTest {

  private static final Instant T0 = Instant.parse("2026-06-02T10:00:00Z");

  @TempDir Path dataDir;

  @Test
  void aFullFileFailsTheAppendsAndReadinessUntilAProbeFindsRoomAgain() throws Exception {
    // The file is capped at 40 pages, so SQLite fails the insert with SQLITE_FULL: the same error,
    // on the same writer path, as a full disk. Tests run as root, so a read-only file would not do.
    // No retention is configured: only the writer's probes can bring readiness back.
    List<String> committed = new ArrayList<>();
    try (SqliteDecisionLog log = SqliteDecisionLog.open(LogOptions.defaults(dataDir), 40)) {
      CompletableFuture<Void> failed = fill(log, committed);

      assertThat(failed).as("the capped file filled up").isNotNull();
      assertThat(failed).failsWithin(Duration.ZERO).withThrowableThat().havingCause()
          .isInstanceOfSatisfying(LogUnavailableException.class, e -> assertThat(e.code()).isEqualTo("log-unavailable"));
      LogHealth health = log.health();
      assertThat(health.ready()).isFalse();
      assertThat(health.reason()).startsWith("cannot write decision log: ").contains("full");
      assertThat(committed).isNotEmpty().allSatisfy(id -> assertThat(log.find(id)).isPresent());
      assertThat(log.count(ReplayQuery.all())).isEqualTo(committed.size());

      // The writer's probes, a second apart, find no room either.
      await().during(Duration.ofMillis(2_500)).atMost(Duration.ofSeconds(4)).until(() -> !log.health().ready());

      // Someone makes room behind the log's back: a probe finds it, and the log is ready again
      // with no decision appended.
      try (Connection other = connect(dataDir.resolve("decisions.db")); Statement st = other.createStatement()) {
        st.executeUpdate("DELETE FROM decisions WHERE decision_id <> '" + committed.get(0) + "'");
      }
      await().atMost(Duration.ofSeconds(5)).until(() -> log.health().ready());
      assertThat(log.health().reason()).isNull();
      assertThat(log.count(ReplayQuery.all())).as("probes leave no row").isEqualTo(1);
      log.append(logged("after", "execute", "S", Outcome.ALLOW, T0)).join();
      assertThat(log.health().ready()).isTrue();
    }
    assertIntegrity(dataDir.resolve("decisions.db"));
  }

  @Test
  void aFailedSweepKeepsReadinessDownThroughCommitsUntilASweepSucceeds() throws Exception {
    LogOptions options = LogOptions.defaults(dataDir).withRetention(null, 1L);
    try (SqliteDecisionLog log = SqliteDecisionLog.open(options)) {
      for (int i = 0; i < 3; i++) {
        log.append(logged("d-" + i, "execute", "S", Outcome.ALLOW, T0.plusSeconds(i))).join();
      }
      try (Connection other = connect(dataDir.resolve("decisions.db")); Statement st = other.createStatement()) {
        st.execute("CREATE TRIGGER hold BEFORE DELETE ON decisions BEGIN SELECT RAISE(ABORT, 'held for audit'); END");

        assertThatThrownBy(log::enforceRetention).isInstanceOf(LogUnavailableException.class)
            .hasMessageContaining("held for audit");
        assertThat(log.health().ready()).isFalse();
        assertThat(log.health().reason()).startsWith("cannot apply decision log retention: ");

        // Writes still work, and a commit says nothing about retention.
        log.append(logged("d-3", "execute", "S", Outcome.ALLOW, T0.plusSeconds(3))).join();
        assertThat(log.health().ready()).isFalse();

        st.execute("DROP TRIGGER hold");
      }
      // The writer retries the sweep a second after it failed.
      await().atMost(Duration.ofSeconds(5)).until(() -> log.health().ready());
      assertThat(log.count(ReplayQuery.all())).isEqualTo(1);
    }
  }

  /** Appends large decisions until one fails; the committed ones go into {@code committed}. */
  private static CompletableFuture<Void> fill(SqliteDecisionLog log, List<String> committed) {
    // Random text: the log compresses what it stores, and a repeated letter would take no room.
    byte[] noise = new byte[15_000];
    new Random(4).nextBytes(noise);
    String padding = Base64.getEncoder().encodeToString(noise);
    for (int i = 0; i < 40; i++) {
      CompletableFuture<Void> append = log.append(logged("d-" + i, "execute", "S", Outcome.DENY, T0, padding));
      try {
        append.join();
        committed.add("d-" + i);
      } catch (RuntimeException e) {
        return append;
      }
    }
    return null;
  }

  @Test
  void aFullQueueRefusesAtOnceWithoutBlocking() throws Exception {
    LogOptions options = LogOptions.defaults(dataDir).withQueueCapacity(2);
    try (SqliteDecisionLog log = SqliteDecisionLog.open(options);
        Connection other = connect(dataDir.resolve("decisions.db"));
        Statement lock = other.createStatement()) {
      // Another connection holds the write lock, so the writer cannot commit: both permits stay taken.
      lock.execute("BEGIN IMMEDIATE");
      CompletableFuture<Void> first = log.append(logged("d-1", "execute", "S", Outcome.ALLOW, T0));
      CompletableFuture<Void> second = log.append(logged("d-2", "execute", "S", Outcome.ALLOW, T0));

      CompletableFuture<Void> third = log.append(logged("d-3", "execute", "S", Outcome.ALLOW, T0));

      assertThat(third.isCompletedExceptionally()).as("refused on the caller's thread, at once").isTrue();
      assertThat(third).failsWithin(Duration.ZERO).withThrowableThat().havingCause()
          .isInstanceOfSatisfying(LogUnavailableException.class, e -> {
            assertThat(e.code()).isEqualTo("log-overloaded");
            assertThat(e.getMessage()).isEqualTo("decision log queue is full (2 decisions waiting)");
          });
      assertThat(log.health()).isEqualTo(new LogHealth(false, null, null, 2, 2));

      lock.execute("ROLLBACK");
      CompletableFuture.allOf(first, second).join();
      assertThat(log.find("d-3")).isEmpty();
      assertThat(log.health().queueDepth()).isZero();
    }
  }
}
