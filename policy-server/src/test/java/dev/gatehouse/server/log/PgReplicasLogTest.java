package dev.gatehouse.server.log;

import static dev.gatehouse.server.log.TestDecisions.logged;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatehouse.model.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Replicas sharing one PostgreSQL log: what one writes the others read, page and verify, the chain
 * stays one chain however their group commits interleave, and a database that goes away and comes
 * back is reconnected to without reopening the log.
 */
class PgReplicasLogTest {

  private static final Instant T0 = Instant.parse("2026-06-02T10:00:00Z");
  @RegisterExtension static final TestPostgres.ClassDatabase database = new TestPostgres.ClassDatabase();

  @Test
  void threeReplicasWritingAtOnceMakeOneChainThatEachOfThemVerifies() {
    LogOptions shared = LogOptions.postgres(database.freshSchema());
    try (DecisionLog a = DecisionLogs.open(shared); DecisionLog b = DecisionLogs.open(shared);
        DecisionLog c = DecisionLogs.open(shared)) {
      List<DecisionLog> replicas = List.of(a, b, c);
      List<CompletableFuture<Void>> appended = new ArrayList<>();
      for (int i = 0; i < 1_500; i++) {
        DecisionLog replica = replicas.get(i % 3);
        appended.add(replica.append(logged("r" + (i % 3) + "-" + i, "execute", "S-" + i, Outcome.ALLOW, T0.plusMillis(i))));
      }
      CompletableFuture.allOf(appended.toArray(CompletableFuture[]::new)).join();

      for (DecisionLog replica : replicas) {
        Verification v = replica.verify();
        assertThat(v.breaks()).isEmpty();
        assertThat(v.checked()).isEqualTo(1_500);
        assertThat(v.head()).isEqualTo(a.verify().head());
        assertThat(replica.find("r2-1499")).isPresent();
      }
      // Each replica committed in groups, and their groups interleave in the one chain.
      assertThat(a.commits().decisions() + b.commits().decisions() + c.commits().decisions()).isEqualTo(1_500);
      List<String> order = new ArrayList<>();
      a.forEach(ReplayQuery.all(), d -> order.add(d.decisionId().substring(0, 2)));
      long switches = IntStream.range(1, order.size()).filter(i -> !order.get(i).equals(order.get(i - 1))).count();
      assertThat(switches).as("replicas' group commits interleaved").isGreaterThan(2);
    }
  }

  @Test
  void aCursorHandedOutByOneReplicaPagesOnAnother() {
    LogOptions shared = LogOptions.postgres(database.freshSchema());
    try (DecisionLog a = DecisionLogs.open(shared); DecisionLog b = DecisionLogs.open(shared)) {
      for (int i = 0; i < 25; i++) {
        (i % 2 == 0 ? a : b).append(logged("d-" + i, "execute", "S", Outcome.ALLOW, T0.plusSeconds(i))).join();
      }
      Query query = new Query(null, null, null, null, null, 10, null);
      Set<String> seen = new HashSet<>();
      Page page = a.list(query);
      seen.addAll(DecisionLogContract.ids(page));
      b.append(logged("late", "execute", "S", Outcome.ALLOW, T0)).join();
      page = b.list(query.withCursor(page.nextCursor()));
      seen.addAll(DecisionLogContract.ids(page));
      page = a.list(query.withCursor(page.nextCursor()));
      seen.addAll(DecisionLogContract.ids(page));

      assertThat(page.nextCursor()).isNull();
      assertThat(seen).hasSize(25).doesNotContain("late");
    }
  }

  @Test
  void retentionOnEveryReplicaAtOnceDeletesOnlyWhatIsBeyondTheLimit() {
    LogOptions shared = LogOptions.postgres(database.freshSchema()).withRetention(null, 300L);
    try (DecisionLog a = DecisionLogs.open(shared); DecisionLog b = DecisionLogs.open(shared)) {
      CompletableFuture.allOf(IntStream.range(0, 1_200).mapToObj(i -> (i % 2 == 0 ? a : b)
          .append(logged("d-" + i, "execute", "S", Outcome.ALLOW, T0.plusMillis(i)))).toArray(CompletableFuture[]::new)).join();

      CompletableFuture<Long> first = CompletableFuture.supplyAsync(a::enforceRetention);
      CompletableFuture<Long> second = CompletableFuture.supplyAsync(b::enforceRetention);

      assertThat(first.join() + second.join()).isEqualTo(900);
      assertThat(a.count(ReplayQuery.all())).isEqualTo(300);
      assertThat(a.verify().breaks()).isEmpty();
    }
  }

  @Test
  void aDatabaseThatGoesAwayMakesTheLogUnavailableAndItRecoversWithoutAReopen() throws Exception {
    PostgresUrl direct = database.freshSchema();
    try (TcpProxy proxy = TcpProxy.to(direct)) {
      LogOptions throughProxy = LogOptions.postgres(proxy.route(direct));
      try (DecisionLog log = DecisionLogs.open(throughProxy)) {
        log.append(logged("before", "execute", "S", Outcome.ALLOW, T0)).join();

        proxy.cut();

        assertThat(log.append(logged("during", "execute", "S", Outcome.ALLOW, T0)))
            .failsWithin(Duration.ofSeconds(20)).withThrowableThat().havingCause()
            .isInstanceOfSatisfying(LogUnavailableException.class, e -> assertThat(e.code()).isEqualTo("log-unavailable"))
            .withMessageContaining("cannot write decision log");
        assertThat(log.health().ready()).isFalse();
        assertThat(CompletableFuture.supplyAsync(() -> log.find("before")))
            .failsWithin(Duration.ofSeconds(20)).withThrowableThat().havingCause()
            .isInstanceOf(LogUnavailableException.class);

        proxy.restore();

        // Ready again with no decision asked: the writer's probe finds the database back.
        await("log ready again").atMost(Duration.ofSeconds(20)).until(() -> log.health().ready());
        log.append(logged("after", "execute", "S", Outcome.ALLOW, T0)).join();
        assertThat(log.find("during")).isEmpty();
        assertThat(log.verify().checked()).isEqualTo(2);
        assertThat(log.verify().intact()).isTrue();
      }
    }
  }
}
