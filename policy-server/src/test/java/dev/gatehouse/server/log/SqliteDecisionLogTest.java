package dev.gatehouse.server.log;

import static dev.gatehouse.server.log.TestDecisions.assertIntegrity;
import static dev.gatehouse.server.log.TestDecisions.logged;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.model.Outcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteDecisionLogTest {

  private static final Instant T0 = Instant.parse("2026-06-02T10:00:00Z");

  @TempDir Path dataDir;
  private SqliteDecisionLog log;

  @BeforeEach
  void open() {
    log = SqliteDecisionLog.open(LogOptions.defaults(dataDir.resolve("data")));
  }

  @AfterEach
  void closeAndCheck() throws Exception {
    log.close();
    assertIntegrity(dataDir.resolve("data/decisions.db"));
  }

  @Test
  void findReturnsTheAnsweredJsonByteForByte() {
    LoggedDecision plain = logged("d-1", "execute", "CTO-WORK-049", Outcome.DENY, T0);
    // Key order, spacing and non-ASCII text the mapper would never produce: stored as sent.
    String odd = "{ \"outcome\":\"DENY\",\n  \"decisionId\": \"d-2\", \"message\": \"pas d'approbation — ✓ 🚦\" }";
    LoggedDecision verbatim = withDecisionJson(logged("d-2", "execute", "CTO-WORK-050", Outcome.DENY, T0), odd);

    CompletableFuture.allOf(log.append(plain), log.append(verbatim)).join();

    LoggedDecision found = log.find("d-1").orElseThrow();
    assertThat(found).isEqualTo(plain);
    assertThat(found.decisionJson()).contains("\"reasons\"", "\"checks\"", "\"trace\"");
    assertThat(log.find("d-2").orElseThrow().decisionJson().getBytes(StandardCharsets.UTF_8))
        .isEqualTo(odd.getBytes(StandardCharsets.UTF_8));
    assertThat(log.find("nope")).isEmpty();
  }

  @Test
  void keepsNanosecondsAndNullableFields() {
    LoggedDecision base = logged("d-1", "execute", "S-1", Outcome.ALLOW, T0.plusNanos(123_456_789));
    LoggedDecision sparse = new LoggedDecision(base.decisionId(), base.loggedAt(), base.gate(), base.subject(),
        null, null, base.requestJson(), base.policyRevision(), null, base.outcome(), base.decisionJson(), 7);

    log.append(sparse).join();

    assertThat(log.find("d-1")).contains(sparse);
  }

  @Test
  void commitsEveryAppendFromManyThreads() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<List<CompletableFuture<Void>>>> threads = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      int thread = t;
      threads.add(pool.submit(() -> IntStream.range(0, 250)
          .mapToObj(i -> log.append(logged("t" + thread + "-" + i, "execute", "S-" + i, Outcome.ALLOW, T0)))
          .toList()));
    }
    List<CompletableFuture<Void>> appended = new ArrayList<>();
    for (Future<List<CompletableFuture<Void>>> f : threads) {
      appended.addAll(f.get());
    }
    pool.shutdown();
    CompletableFuture.allOf(appended.toArray(CompletableFuture[]::new)).join();

    assertThat(log.count(ReplayQuery.all())).isEqualTo(2_000);
    for (int t = 0; t < 8; t++) {
      for (int i = 0; i < 250; i++) {
        assertThat(log.find("t" + t + "-" + i)).as("t%d-%d", t, i).isPresent();
      }
    }
    assertThat(log.health()).isEqualTo(new LogHealth(false, null, null, 0, LogOptions.DEFAULT_QUEUE_CAPACITY));
  }

  @Test
  void pagesNewestFirstWithoutDuplicatesOrGapsWhileDecisionsArrive() {
    appendAll(0, 25);
    Query query = new Query(null, null, null, null, null, 10, null);
    List<String> seen = new ArrayList<>();

    Page page = log.list(query);
    seen.addAll(ids(page));
    appendAll(25, 30);
    page = log.list(query.withCursor(page.nextCursor()));
    seen.addAll(ids(page));
    appendAll(30, 33);
    page = log.list(query.withCursor(page.nextCursor()));
    seen.addAll(ids(page));

    assertThat(page.nextCursor()).isNull();
    assertThat(seen).containsExactlyElementsOf(
        IntStream.iterate(24, i -> i >= 0, i -> i - 1).mapToObj(i -> "d-" + i).toList());
    assertThat(ids(log.list(Query.newest()))).hasSize(33).startsWith("d-32", "d-31");
  }

  @Test
  void anExactlyFullLastPageHasNoCursor() {
    appendAll(0, 4);
    Page first = log.list(new Query(null, null, null, null, null, 4, null));

    assertThat(first.items()).hasSize(4);
    assertThat(first.nextCursor()).isNull();
  }

  @Test
  void filtersByGateSubjectOutcomeAndTime() {
    CompletableFuture.allOf(
        log.append(logged("a", "execute", "S-1", Outcome.ALLOW, T0)),
        log.append(logged("b", "execute", "S-2", Outcome.DENY, T0.plusSeconds(60))),
        log.append(logged("c", "merge", "S-1", Outcome.DENY, T0.plusSeconds(120))),
        log.append(logged("d", "merge", "S-2", Outcome.ALLOW, T0.plusSeconds(180)))).join();

    assertThat(ids(log.list(new Query("execute", null, null, null, null, 50, null)))).containsExactlyInAnyOrder("a", "b");
    assertThat(ids(log.list(new Query(null, "S-1", null, null, null, 50, null)))).containsExactlyInAnyOrder("a", "c");
    assertThat(ids(log.list(new Query(null, null, Outcome.DENY, null, null, 50, null)))).containsExactlyInAnyOrder("b", "c");
    assertThat(ids(log.list(new Query("merge", "S-2", Outcome.ALLOW, null, null, 50, null)))).containsExactly("d");
    // from is inclusive, to exclusive.
    assertThat(ids(log.list(new Query(null, null, null, T0.plusSeconds(60), T0.plusSeconds(180), 50, null))))
        .containsExactlyInAnyOrder("b", "c");
    assertThat(ids(log.list(new Query(null, null, null, T0.plusSeconds(181), null, 50, null)))).isEmpty();
  }

  @Test
  void refusesACursorItDidNotHandOut() {
    for (String cursor : List.of("not a cursor!", base64("seq:abc"), base64("seq:-3"), base64("42"), "")) {
      assertThatThrownBy(() -> log.list(Query.newest().withCursor(cursor)))
          .as(cursor)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("invalid cursor");
    }
  }

  @Test
  void refusesAPageSizeOutOfRange() {
    assertThatThrownBy(() -> new Query(null, null, null, null, null, 501, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("limit must be between 1 and 500, got 501");
    assertThatThrownBy(() -> new Query(null, null, null, null, null, 0, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void replaysOldestFirstAcrossChunks() {
    int total = DecisionReads.REPLAY_CHUNK * 2 + 37;
    List<CompletableFuture<Void>> appended = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      appended.add(log.append(logged("d-" + i, i % 2 == 0 ? "execute" : "merge", "S", Outcome.ALLOW, T0.plusSeconds(i))));
    }
    CompletableFuture.allOf(appended.toArray(CompletableFuture[]::new)).join();

    List<String> replayed = new ArrayList<>();
    log.forEach(ReplayQuery.all(), d -> replayed.add(d.decisionId()));
    assertThat(replayed).containsExactlyElementsOf(IntStream.range(0, total).mapToObj(i -> "d-" + i).toList());

    ReplayQuery recentExecutes = new ReplayQuery("execute", T0.plusSeconds(1000));
    List<String> filtered = new ArrayList<>();
    log.forEach(recentExecutes, d -> filtered.add(d.decisionId()));
    assertThat(filtered).first().isEqualTo("d-1000");
    assertThat(filtered).allMatch(id -> Integer.parseInt(id.substring(2)) % 2 == 0);
    assertThat(log.count(recentExecutes)).isEqualTo(filtered.size()).isEqualTo((total - 1000 + 1) / 2);
  }

  @Test
  void refusesADuplicateIdAndCommitsTheRestOfItsBatch() throws Exception {
    log.append(logged("d-1", "execute", "S", Outcome.ALLOW, T0)).join();
    CompletableFuture<Void> blocker;
    CompletableFuture<Void> again;
    CompletableFuture<Void> next;
    try (Connection other = TestDecisions.connect(dataDir.resolve("data/decisions.db"));
        Statement lock = other.createStatement()) {
      // While another connection holds the write lock the writer waits on its first batch, so the
      // duplicate and the next decision queue up and are committed together.
      lock.execute("BEGIN IMMEDIATE");
      blocker = log.append(logged("d-0", "execute", "S", Outcome.ALLOW, T0));
      again = log.append(logged("d-1", "execute", "S", Outcome.DENY, T0));
      next = log.append(logged("d-2", "execute", "S", Outcome.DENY, T0));
      lock.execute("ROLLBACK");
    }

    assertThatThrownBy(again::join).hasCauseInstanceOf(IllegalArgumentException.class)
        .hasRootCauseMessage("decision d-1 is already logged");
    CompletableFuture.allOf(blocker, next).join();
    assertThat(log.find("d-1").orElseThrow().outcome()).isEqualTo(Outcome.ALLOW);
    assertThat(log.find("d-2")).isPresent();
    assertThat(log.health().ready()).isTrue();
  }

  @Test
  void closeCommitsWhatIsQueuedAndRefusesLaterAppends() {
    List<CompletableFuture<Void>> appended = IntStream.range(0, 300)
        .mapToObj(i -> log.append(logged("d-" + i, "execute", "S", Outcome.ALLOW, T0))).toList();

    log.close();

    assertThat(appended).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
    assertThat(log.health().ready()).isFalse();
    assertThat(log.append(logged("late", "execute", "S", Outcome.ALLOW, T0)))
        .failsWithin(Duration.ZERO)
        .withThrowableThat()
        .havingCause()
        .isInstanceOfSatisfying(LogUnavailableException.class, e -> assertThat(e.code()).isEqualTo("log-unavailable"));
    try (SqliteDecisionLog reopened = SqliteDecisionLog.open(LogOptions.defaults(dataDir.resolve("data")))) {
      assertThat(reopened.count(ReplayQuery.all())).isEqualTo(300);
    }
  }

  @Test
  void aCorruptColumnIsAnErrorNamingItsRowAndColumn() throws Exception {
    log.append(logged("d-1", "execute", "S", Outcome.ALLOW, T0)).join();
    log.append(logged("d-2", "execute", "S", Outcome.ALLOW, T0)).join();
    log.append(logged("d-3", "execute", "S", Outcome.ALLOW, T0)).join();
    try (Connection other = TestDecisions.connect(dataDir.resolve("data/decisions.db"));
        Statement st = other.createStatement()) {
      st.execute("UPDATE decisions SET request = substr(request, 1, length(request) - 10) WHERE decision_id = 'd-1'");
      st.execute("UPDATE decisions SET decision = x'00010203' WHERE decision_id = 'd-2'");
      // A zstd frame header (magic, single segment, 8-byte content size) claiming 2^31 bytes.
      st.execute("UPDATE decisions SET decision = x'28B52FFDE00000008000000000' WHERE decision_id = 'd-3'");
    }

    assertThatThrownBy(() -> log.find("d-1"))
        .isInstanceOfSatisfying(LogUnavailableException.class, e -> assertThat(e.code()).isEqualTo("log-unavailable"))
        .hasMessageStartingWith("cannot read decision log: decision log row 1, column request: corrupt zstd frame");
    assertThatThrownBy(() -> log.find("d-2"))
        .hasMessageStartingWith("cannot read decision log: decision log row 2, column decision: not a zstd frame of known size");
    assertThatThrownBy(() -> log.find("d-3"))
        .hasMessage("cannot read decision log: decision log row 3, column decision: zstd frame claims 2147483648 bytes,"
            + " more than any decision the log takes");
  }

  @Test
  void aReadOnlyReaderSeesWhatTheWriterCommits() {
    log.append(logged("d-1", "execute", "S", Outcome.ALLOW, T0)).join();
    try (DecisionReader reader = SqliteDecisionLog.openReadOnly(dataDir.resolve("data/decisions.db"))) {
      assertThat(reader.find("d-1")).isPresent();

      log.append(logged("d-2", "execute", "S", Outcome.DENY, T0)).join();

      assertThat(reader.find("d-2")).isPresent();
      assertThat(reader.count(ReplayQuery.all())).isEqualTo(2);
    }
    assertThat(log.health().ready()).isTrue();
  }

  @Test
  void completesTheDecisionsOfOneCommitWithOneTaskOnTheirExecutor() throws Exception {
    CountDownLatch writerHeld = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    // Runs its completions only once released: meanwhile the writer thread waits here, so the next
    // appends all queue up for one commit.
    Executor holding = task -> {
      writerHeld.countDown();
      awaitUninterruptibly(release);
      task.run();
    };
    CompletableFuture<Void> first = log.append(logged("d-0", "execute", "S", Outcome.ALLOW, T0), holding);
    writerHeld.await();
    List<CompletableFuture<Void>> queued = new ArrayList<>();
    List<Boolean> doneBeforeTask = new ArrayList<>();
    Executor counting = task -> {
      doneBeforeTask.add(queued.stream().anyMatch(CompletableFuture::isDone));
      task.run();
    };
    for (int i = 1; i <= 10; i++) {
      queued.add(log.append(logged("d-" + i, "execute", "S", Outcome.ALLOW, T0), counting));
    }
    release.countDown();

    CompletableFuture.allOf(queued.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    first.join();
    assertThat(doneBeforeTask).containsExactly(false);
    assertThat(log.count(ReplayQuery.all())).isEqualTo(11);
    assertThat(log.commits()).satisfies(c -> {
      assertThat(c.commits()).isEqualTo(2);
      assertThat(c.decisions()).isEqualTo(11);
      assertThat(c.nanos()).isPositive();
    });
  }

  @Test
  void anExecutorThatFailsStillGetsItsDecisionsCompletedAndTheWriterGoesOn() {
    Executor failing = task -> {
      throw new IllegalStateException("event loop gone");
    };

    CompletableFuture<Void> first = log.append(logged("d-1", "execute", "S", Outcome.ALLOW, T0), failing);

    assertThat(first).succeedsWithin(Duration.ofSeconds(10));
    assertThat(log.append(logged("d-2", "execute", "S", Outcome.ALLOW, T0))).succeedsWithin(Duration.ofSeconds(10));
    log.close();
    assertThat(log.append(logged("late", "execute", "S", Outcome.ALLOW, T0), failing)).isCompletedExceptionally();
  }

  @Test
  void completesARefusalOnTheExecutorToo() {
    log.close();
    List<Runnable> tasks = new ArrayList<>();

    CompletableFuture<Void> refused = log.append(logged("late", "execute", "S", Outcome.ALLOW, T0), tasks::add);

    assertThat(refused).isNotDone();
    assertThat(tasks).hasSize(1);
    tasks.get(0).run();
    assertThat(refused).isCompletedExceptionally();
  }

  private void appendAll(int from, int to) {
    for (int i = from; i < to; i++) {
      // One at a time, so that log order is index order.
      log.append(logged("d-" + i, "execute", "S", Outcome.ALLOW, T0.plusSeconds(i))).join();
    }
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static List<String> ids(Page page) {
    return page.items().stream().map(LoggedDecision::decisionId).toList();
  }

  private static String base64(String text) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
  }

  private static LoggedDecision withDecisionJson(LoggedDecision d, String json) {
    return new LoggedDecision(d.decisionId(), d.loggedAt(), d.gate(), d.subject(), d.actor(), d.principal(),
        d.requestJson(), d.policyRevision(), d.workspaceRevision(), d.outcome(), json, d.durationMicros());
  }
}
