package dev.gatehouse.server.log;

import static dev.gatehouse.server.log.TestDecisions.assertIntegrity;
import static dev.gatehouse.server.log.TestDecisions.logged;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.model.Outcome;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetentionTest {

  @TempDir Path dataDir;

  @Test
  void deletesDecisionsOlderThanTheMaximumAge() throws Exception {
    Instant now = Instant.now();
    int old = Retention.DELETE_BATCH + 100;
    try (SqliteDecisionLog log = open(LogOptions.defaults(dataDir).withRetention(Duration.ofDays(1), null))) {
      appendAll(log, IntStream.range(0, old).mapToObj(i -> logged("old-" + i, "execute", "S", Outcome.ALLOW, now.minus(Duration.ofDays(3)))).toList());
      appendAll(log, IntStream.range(0, 10).mapToObj(i -> logged("new-" + i, "execute", "S", Outcome.ALLOW, now)).toList());

      assertThat(log.enforceRetention()).isEqualTo(old);
      assertThat(log.count(ReplayQuery.all())).isEqualTo(10);
      assertThat(log.find("new-0")).isPresent();
      assertThat(log.enforceRetention()).isZero();
    }
    assertIntegrity(dataDir.resolve("decisions.db"));
  }

  @Test
  void keepsOnlyTheNewestRowsBeyondTheMaximumCount() throws Exception {
    Instant t0 = Instant.parse("2026-06-02T10:00:00Z");
    int total = Retention.DELETE_BATCH * 2 + 200;
    try (SqliteDecisionLog log = open(LogOptions.defaults(dataDir).withRetention(null, 100L))) {
      appendAll(log, IntStream.range(0, total).mapToObj(i -> logged("d-" + i, "execute", "S", Outcome.ALLOW, t0.plusSeconds(i))).toList());

      assertThat(log.enforceRetention()).isEqualTo(total - 100);
      List<String> kept = new ArrayList<>();
      log.forEach(ReplayQuery.all(), d -> kept.add(d.decisionId()));
      assertThat(kept).containsExactlyElementsOf(IntStream.range(total - 100, total).mapToObj(i -> "d-" + i).toList());
    }
    assertIntegrity(dataDir.resolve("decisions.db"));
  }

  @Test
  void withoutLimitsRetentionDeletesNothing() {
    try (SqliteDecisionLog log = open(LogOptions.defaults(dataDir))) {
      log.append(logged("d-1", "execute", "S", Outcome.ALLOW, Instant.EPOCH)).join();

      assertThat(log.enforceRetention()).isZero();
      assertThat(log.count(ReplayQuery.all())).isEqualTo(1);
    }
  }

  @Test
  void aSweepThatCannotStartFailsItsCallerAndReadinessButLeavesTheLogWriting() {
    // A cut-off before 1677 has no epoch-nanosecond form; the config refuses such an age, the log
    // must still not lose its writer over one.
    try (SqliteDecisionLog log = open(LogOptions.defaults(dataDir).withRetention(Duration.ofDays(150_000), null))) {
      assertThatThrownBy(log::enforceRetention)
          .isInstanceOfSatisfying(LogUnavailableException.class, e -> assertThat(e.code()).isEqualTo("log-unavailable"))
          .hasMessageStartingWith("cannot apply decision log retention: ");

      log.append(logged("d-1", "execute", "S", Outcome.ALLOW, Instant.now())).join();
      assertThat(log.find("d-1")).isPresent();
      assertThat(log.health().ready()).isFalse();
      assertThat(log.health().reason()).startsWith("cannot apply decision log retention: ");
    }
  }

  private static SqliteDecisionLog open(LogOptions options) {
    return SqliteDecisionLog.open(options);
  }

  private static void appendAll(SqliteDecisionLog log, List<LoggedDecision> decisions) {
    CompletableFuture.allOf(decisions.stream().map(log::append).toArray(CompletableFuture[]::new)).join();
  }
}
