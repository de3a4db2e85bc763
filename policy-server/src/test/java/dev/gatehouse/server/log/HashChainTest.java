package dev.gatehouse.server.log;

import static dev.gatehouse.server.log.TestDecisions.connect;
import static dev.gatehouse.server.log.TestDecisions.logged;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.model.Outcome;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hash chain: it holds across group commits and restarts, and names the decisions edited or deleted. */
class HashChainTest {

  private static final Instant T0 = Instant.parse("2026-06-02T10:00:00Z");

  @TempDir Path dataDir;

  @Test
  void holdsAcrossGroupCommitsAndRestarts() {
    try (SqliteDecisionLog log = SqliteDecisionLog.open(LogOptions.defaults(dataDir))) {
      appendAll(log, 0, 40);
    }
    try (SqliteDecisionLog log = SqliteDecisionLog.open(LogOptions.defaults(dataDir))) {
      appendAll(log, 40, 50);
      // A refused duplicate takes no place in the chain.
      assertThat(log.append(logged("d-3", "execute", "S", Outcome.ALLOW, T0))).failsWithin(Duration.ofSeconds(10));
      appendAll(log, 50, 52);

      Verification v = log.verify();
      assertThat(v.breaks()).isEmpty();
      assertThat(v.intact()).isTrue();
      assertThat(v.checked()).isEqualTo(52);
      assertThat(v.unchained()).isZero();
      assertThat(v.head()).matches("[0-9a-f]{64}");
    }
  }

  @Test
  void namesTheDecisionEditedAndTheOneAfterADeletedDecision() throws Exception {
    try (SqliteDecisionLog log = SqliteDecisionLog.open(LogOptions.defaults(dataDir))) {
      appendAll(log, 0, 10);
      String head = log.verify().head();
      // A second connection to the file, as anyone with write access to it has.
      try (Connection c = connect(dataDir.resolve("decisions.db")); Statement st = c.createStatement()) {
        assertThat(st.executeUpdate("UPDATE decisions SET outcome = 'ALLOW' WHERE decision_id = 'd-3'")).isEqualTo(1);
        assertThat(st.executeUpdate("DELETE FROM decisions WHERE decision_id = 'd-7'")).isEqualTo(1);
      }

      Verification v = log.verify();
      assertThat(v.intact()).isFalse();
      assertThat(v.breaks()).extracting(Verification.Break::decisionId, Verification.Break::problem)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("d-3", "edited"), org.assertj.core.groups.Tuple.tuple("d-8", "gap"));
      assertThat(v.breaks().get(1).message())
          .isEqualTo("decision d-8 was not chained after d-6: a decision between them was deleted,"
              + " d-6 was changed and hashed again, or decisions were moved");
      assertThat(v.head()).as("the newest decision is untouched").isEqualTo(head);
    }
  }

  @Test
  void theOldestKeptDecisionStartsTheChainAfterRetention() {
    Instant now = Instant.now();
    try (SqliteDecisionLog log = SqliteDecisionLog.open(LogOptions.defaults(dataDir).withRetention(Duration.ofDays(1), null))) {
      log.append(logged("old", "execute", "S", Outcome.ALLOW, now.minus(Duration.ofDays(3)))).join();
      log.append(logged("new-1", "execute", "S", Outcome.ALLOW, now)).join();
      log.append(logged("new-2", "execute", "S", Outcome.ALLOW, now)).join();
      assertThat(log.enforceRetention()).isEqualTo(1);

      assertThat(log.verify().breaks()).isEmpty();
      assertThat(log.verify().checked()).isEqualTo(2);
    }
  }

  @Test
  void decisionsFromBeforeTheChainAreCountedAndTheChainStartsAfterThem() throws Exception {
    TestDecisions.version1Log(dataDir);
    try (DecisionReader old = SqliteDecisionLog.openReadOnly(dataDir.resolve("decisions.db"))) {
      assertThat(old.verify()).isEqualTo(new Verification(1, 1, null, java.util.List.of()));
    }
    try (SqliteDecisionLog log = SqliteDecisionLog.open(LogOptions.defaults(dataDir))) {
      appendAll(log, 0, 3);

      Verification v = log.verify();
      assertThat(v.breaks()).isEmpty();
      assertThat(v.checked()).isEqualTo(4);
      assertThat(v.unchained()).isEqualTo(1);
    }
  }

  private static void appendAll(SqliteDecisionLog log, int from, int to) {
    CompletableFuture.allOf(IntStream.range(from, to)
        .mapToObj(i -> log.append(logged("d-" + i, "execute", "S-" + i, i % 3 == 0 ? Outcome.DENY : Outcome.ALLOW,
            T0.plusSeconds(i))))
        .toArray(CompletableFuture[]::new)).join();
  }
}
