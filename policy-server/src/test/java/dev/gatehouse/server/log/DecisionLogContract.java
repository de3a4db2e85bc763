package dev.gatehouse.server.log;

import static dev.gatehouse.server.log.TestDecisions.logged;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import dev.gatehouse.model.Outcome;
import dev.gatehouse.rules.source.SourceTree;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
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

/**
 * What every store of the decision log does alike: one interface ({@link DecisionLog}), two stores
 * (SQLite, PostgreSQL), one contract. Each store's test extends this class and says how to make an
 * empty log, reach its database from the side (as anyone with write access can), and hold the lock
 * its writer needs.
 */
abstract class DecisionLogContract {

  static final Instant T0 = Instant.parse("2026-06-02T10:00:00Z");

  protected DecisionLog log;

  /** Options of a new, empty log in this store. */
  abstract LogOptions newLog() throws Exception;

  /** The options the log under test was opened with. */
  abstract LogOptions options();

  /** Runs {@code sql} on a connection of its own to the log under test; returns the rows changed. */
  abstract int sql(String sql) throws Exception;

  /** A literal of {@code hex} as bytes in this store's SQL. */
  abstract String bytes(String hex);

  /** Takes the lock the log's writer commits under, until closed: the writer waits meanwhile. */
  abstract AutoCloseable holdWriteLock() throws Exception;

  /** Checks the store's own integrity once the log is closed. */
  void checkStore() throws Exception {}

  @BeforeEach
  void openLog() throws Exception {
    log = DecisionLogs.open(newLog());
  }

  @AfterEach
  void closeAndCheck() throws Exception {
    log.close();
    checkStore();
  }

  /** The log under test opened again with other retention limits. */
  private DecisionLog reopen(Duration maxAge, Long maxRows) {
    log.close();
    log = DecisionLogs.open(options().withRetention(maxAge, maxRows));
    return log;
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
    assertThat(log.verify().intact()).isTrue();
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
    // While the write lock is held elsewhere the writer waits on its first batch, so the duplicate
    // and the next decision queue up and are committed together.
    try (AutoCloseable lock = holdWriteLock()) {
      blocker = log.append(logged("d-0", "execute", "S", Outcome.ALLOW, T0));
      again = log.append(logged("d-1", "execute", "S", Outcome.DENY, T0));
      next = log.append(logged("d-2", "execute", "S", Outcome.DENY, T0));
    }

    assertThatThrownBy(again::join).hasCauseInstanceOf(IllegalArgumentException.class)
        .hasRootCauseMessage("decision d-1 is already logged");
    CompletableFuture.allOf(blocker, next).join();
    assertThat(log.find("d-1").orElseThrow().outcome()).isEqualTo(Outcome.ALLOW);
    assertThat(log.find("d-2")).isPresent();
    assertThat(log.health().ready()).isTrue();
    assertThat(log.verify().intact()).isTrue();
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
    try (DecisionLog reopened = DecisionLogs.open(options())) {
      assertThat(reopened.count(ReplayQuery.all())).isEqualTo(300);
    }
  }

  @Test
  void aCorruptColumnIsAnErrorNamingItsRowAndColumn() throws Exception {
    log.append(logged("d-1", "execute", "S", Outcome.ALLOW, T0)).join();
    log.append(logged("d-2", "execute", "S", Outcome.ALLOW, T0)).join();
    log.append(logged("d-3", "execute", "S", Outcome.ALLOW, T0)).join();
    sql("UPDATE decisions SET request = substr(request, 1, length(request) - 10) WHERE decision_id = 'd-1'");
    sql("UPDATE decisions SET decision = " + bytes("00010203") + " WHERE decision_id = 'd-2'");
    // A zstd frame header (magic, single segment, 8-byte content size) claiming 2^31 bytes.
    sql("UPDATE decisions SET decision = " + bytes("28B52FFDE00000008000000000") + " WHERE decision_id = 'd-3'");

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
  void aReaderSeesWhatTheWriterCommits() {
    log.append(logged("d-1", "execute", "S", Outcome.ALLOW, T0)).join();
    try (DecisionReader reader = DecisionLogs.openReader(options())) {
      assertThat(reader.find("d-1")).isPresent();

      log.append(logged("d-2", "execute", "S", Outcome.DENY, T0)).join();

      assertThat(reader.find("d-2")).isPresent();
      assertThat(reader.count(ReplayQuery.all())).isEqualTo(2);
      assertThat(reader.verify()).isEqualTo(log.verify());
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

  // The hash chain.

  @Test
  void theChainHoldsAcrossGroupCommitsAndRestarts() {
    appendConcurrently(0, 40);
    log.close();
    log = DecisionLogs.open(options());
    appendConcurrently(40, 50);
    // A refused duplicate takes no place in the chain.
    assertThat(log.append(logged("d-3", "execute", "S", Outcome.ALLOW, T0))).failsWithin(Duration.ofSeconds(10));
    appendConcurrently(50, 52);

    Verification v = log.verify();
    assertThat(v.breaks()).isEmpty();
    assertThat(v.intact()).isTrue();
    assertThat(v.checked()).isEqualTo(52);
    assertThat(v.unchained()).isZero();
    assertThat(v.head()).matches("[0-9a-f]{64}");
  }

  @Test
  void verifyNamesTheDecisionEditedAndTheOneAfterADeletedDecision() throws Exception {
    appendConcurrently(0, 10);
    String head = log.verify().head();
    // A second connection to the database, as anyone with write access to it has.
    assertThat(sql("UPDATE decisions SET outcome = 'ALLOW' WHERE decision_id = 'd-3'")).isEqualTo(1);
    assertThat(sql("DELETE FROM decisions WHERE decision_id = 'd-7'")).isEqualTo(1);

    Verification v = log.verify();
    assertThat(v.intact()).isFalse();
    assertThat(v.breaks()).extracting(Verification.Break::decisionId, Verification.Break::problem)
        .containsExactly(tuple("d-3", "edited"), tuple("d-8", "gap"));
    assertThat(v.breaks().get(1).message())
        .isEqualTo("decision d-8 was not chained after d-6: a decision between them was deleted,"
            + " d-6 was changed and hashed again, or decisions were moved");
    assertThat(v.head()).as("the newest decision is untouched").isEqualTo(head);
  }

  @Test
  void theOldestKeptDecisionStartsTheChainAfterRetention() {
    Instant now = Instant.now();
    reopen(Duration.ofDays(1), null);
    log.append(logged("old", "execute", "S", Outcome.ALLOW, now.minus(Duration.ofDays(3)))).join();
    log.append(logged("new-1", "execute", "S", Outcome.ALLOW, now)).join();
    log.append(logged("new-2", "execute", "S", Outcome.ALLOW, now)).join();
    assertThat(log.enforceRetention()).isEqualTo(1);

    assertThat(log.verify().breaks()).isEmpty();
    assertThat(log.verify().checked()).isEqualTo(2);
  }

  // Snapshots.

  @Test
  void eachRevisionIsStoredOnceHoweverManyDecisionsNameIt() throws Exception {
    Snapshot policy = snapshot(Snapshot.Kind.POLICY, "execute.dslr", "rule \"a\" ...");
    Snapshot workspace = snapshot(Snapshot.Kind.WORKSPACE, "approvals.yaml", "approvals: []");
    Snapshot edited = snapshot(Snapshot.Kind.WORKSPACE, "approvals.yaml", "approvals: [] # edited");
    // Some in one group commit, some in later ones: neither writes a revision twice.
    CompletableFuture.allOf(IntStream.range(0, 50).mapToObj(i -> log.append(
        logged("d-" + i, "execute", "S", Outcome.ALLOW, Instant.now()), List.of(policy, workspace), Runnable::run))
        .toArray(CompletableFuture[]::new)).join();
    log.append(logged("e-1", "execute", "S", Outcome.ALLOW, Instant.now()), List.of(policy, edited), Runnable::run).join();

    assertThat(log.snapshot(policy.revision())).hasValueSatisfying(s -> assertSame(s, policy));
    assertThat(log.snapshot(workspace.revision())).hasValueSatisfying(s -> assertSame(s, workspace));
    assertThat(log.snapshot(edited.revision())).hasValueSatisfying(s -> assertSame(s, edited));
    assertThat(log.snapshot("sha256:none")).isEmpty();
    // Each revision's row is there exactly once: a second insert of one would fail the statement.
    assertThat(sql("UPDATE snapshots SET kind = kind WHERE kind = 'policy'")).isEqualTo(1);
    assertThat(sql("UPDATE snapshots SET kind = kind WHERE kind = 'workspace'")).isEqualTo(2);
  }

  @Test
  void anAlteredSnapshotIsRefusedRatherThanReadAsTheRevision() throws Exception {
    Snapshot policy = snapshot(Snapshot.Kind.POLICY, "execute.dslr", "rule \"a\" ...");
    Snapshot other = snapshot(Snapshot.Kind.POLICY, "execute.dslr", "rule \"b\" ...");
    log.append(logged("d-1", "execute", "S", Outcome.ALLOW, Instant.now()), List.of(policy), Runnable::run).join();
    log.append(logged("d-2", "execute", "S", Outcome.ALLOW, Instant.now()), List.of(other), Runnable::run).join();
    // A second connection swaps one revision's files for the other's.
    sql("UPDATE snapshots SET files = (SELECT files FROM snapshots WHERE revision = '" + other.revision()
        + "') WHERE revision = '" + policy.revision() + "'");

    assertThatThrownBy(() -> log.snapshot(policy.revision()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the stored snapshot of " + policy.revision() + " holds files of " + other.revision()
            + ": it was altered");
  }

  @Test
  void retentionKeepsTheSnapshotsOfTheDecisionsItKeeps() {
    Snapshot old = snapshot(Snapshot.Kind.POLICY, "execute.dslr", "old");
    Snapshot kept = snapshot(Snapshot.Kind.POLICY, "execute.dslr", "kept");
    Instant now = Instant.now();
    reopen(Duration.ofDays(1), null);
    log.append(logged("old", "execute", "S", Outcome.ALLOW, now.minus(Duration.ofDays(3))), List.of(old), Runnable::run).join();
    log.append(logged("kept", "execute", "S", Outcome.ALLOW, now), List.of(kept), Runnable::run).join();

    assertThat(log.enforceRetention()).isEqualTo(1);
    assertThat(log.snapshot(kept.revision())).hasValueSatisfying(s -> assertSame(s, kept));
  }

  // Retention.

  @Test
  void retentionDeletesDecisionsOlderThanTheMaximumAge() {
    Instant now = Instant.now();
    int old = Retention.DELETE_BATCH + 100;
    reopen(Duration.ofDays(1), null);
    appendAll(IntStream.range(0, old).mapToObj(i -> logged("old-" + i, "execute", "S", Outcome.ALLOW, now.minus(Duration.ofDays(3)))).toList());
    appendAll(IntStream.range(0, 10).mapToObj(i -> logged("new-" + i, "execute", "S", Outcome.ALLOW, now)).toList());

    assertThat(log.enforceRetention()).isEqualTo(old);
    assertThat(log.count(ReplayQuery.all())).isEqualTo(10);
    assertThat(log.find("new-0")).isPresent();
    assertThat(log.enforceRetention()).isZero();
  }

  @Test
  void retentionKeepsOnlyTheNewestRowsBeyondTheMaximumCount() {
    int total = Retention.DELETE_BATCH * 2 + 200;
    reopen(null, 100L);
    appendAll(IntStream.range(0, total).mapToObj(i -> logged("d-" + i, "execute", "S", Outcome.ALLOW, T0.plusSeconds(i))).toList());

    assertThat(log.enforceRetention()).isEqualTo(total - 100);
    List<String> kept = new ArrayList<>();
    log.forEach(ReplayQuery.all(), d -> kept.add(d.decisionId()));
    assertThat(kept).containsExactlyElementsOf(IntStream.range(total - 100, total).mapToObj(i -> "d-" + i).toList());
    assertThat(log.enforceRetention()).isZero();
  }

  @Test
  void withoutLimitsRetentionDeletesNothing() {
    log.append(logged("d-1", "execute", "S", Outcome.ALLOW, Instant.EPOCH)).join();

    assertThat(log.enforceRetention()).isZero();
    assertThat(log.count(ReplayQuery.all())).isEqualTo(1);
  }

  @Test
  void aSweepThatCannotStartFailsItsCallerAndReadinessButLeavesTheLogWriting() {
    // A cut-off before 1677 has no epoch-nanosecond form; the config refuses such an age, the log
    // must still not lose its writer over one.
    reopen(Duration.ofDays(150_000), null);
    assertThatThrownBy(log::enforceRetention)
        .isInstanceOfSatisfying(LogUnavailableException.class, e -> assertThat(e.code()).isEqualTo("log-unavailable"))
        .hasMessageStartingWith("cannot apply decision log retention: ");

    log.append(logged("d-1", "execute", "S", Outcome.ALLOW, Instant.now())).join();
    assertThat(log.find("d-1")).isPresent();
    assertThat(log.health().ready()).isFalse();
    assertThat(log.health().reason()).startsWith("cannot apply decision log retention: ");
  }

  // Export and import.

  @Test
  void anExportImportedIntoAnEmptyLogIsTheSameChainWithItsSnapshots() throws Exception {
    Snapshot policy = snapshot(Snapshot.Kind.POLICY, "execute.dslr", "rule \"a\" ...");
    CompletableFuture.allOf(IntStream.range(0, 30).mapToObj(i -> log.append(
        logged("d-" + i, "execute", "S-" + i, i % 2 == 0 ? Outcome.ALLOW : Outcome.DENY, T0.plusSeconds(i)),
        List.of(policy), Runnable::run)).toArray(CompletableFuture[]::new)).join();
    List<ChainedDecision> exported = new ArrayList<>();
    log.forEachChained(ReplayQuery.all(), exported::add);

    LogOptions copy = newLog();
    try (LogImport into = LogImport.into(copy)) {
      into.addSnapshot(policy.kind(), policy.revision(), policy.files());
      for (ChainedDecision d : exported) {
        into.add(d);
      }
      assertThat(into.finish()).isEqualTo(30);
      assertThat(into.snapshots()).isEqualTo(1);
    }
    try (DecisionLog imported = DecisionLogs.open(copy)) {
      assertThat(imported.verify()).isEqualTo(log.verify());
      assertThat(imported.snapshot(policy.revision())).hasValueSatisfying(s -> assertSame(s, policy));
      List<ChainedDecision> again = new ArrayList<>();
      imported.forEachChained(ReplayQuery.all(), again::add);
      assertThat(again).isEqualTo(exported);
      // Decisions logged after the import chain on after the imported ones.
      imported.append(logged("after", "execute", "S", Outcome.ALLOW, T0)).join();
      assertThat(imported.verify().intact()).isTrue();
      assertThat(imported.verify().checked()).isEqualTo(31);
    }
    // Only into an empty log.
    assertThatThrownBy(() -> LogImport.into(copy)).isInstanceOf(IllegalStateException.class)
        .hasMessageEndingWith("is not empty: import only into an empty log");
  }

  @Test
  void anAlteredExportIsRefusedAndNothingIsImported() throws Exception {
    appendConcurrently(0, 5);
    List<ChainedDecision> exported = new ArrayList<>();
    log.forEachChained(ReplayQuery.all(), exported::add);
    ChainedDecision third = exported.get(2);
    LoggedDecision d = third.decision();
    exported.set(2, new ChainedDecision(new LoggedDecision(d.decisionId(), d.loggedAt(), d.gate(), d.subject(), d.actor(),
        d.principal(), d.requestJson(), d.policyRevision(), d.workspaceRevision(),
        d.outcome() == Outcome.ALLOW ? Outcome.DENY : Outcome.ALLOW, d.decisionJson(),
        d.durationMicros()), third.previous(), third.hash()));

    LogOptions copy = newLog();
    try (LogImport into = LogImport.into(copy)) {
      into.add(exported.get(0));
      into.add(exported.get(1));
      assertThatThrownBy(() -> into.add(exported.get(2))).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("decision d-2 does not match the hash it was exported with: the export was changed");
    }
    try (DecisionLog empty = DecisionLogs.open(copy)) {
      assertThat(empty.count(ReplayQuery.all())).isZero();
    }
  }

  private void appendAll(int from, int to) {
    for (int i = from; i < to; i++) {
      // One at a time, so that log order is index order.
      log.append(logged("d-" + i, "execute", "S", Outcome.ALLOW, T0.plusSeconds(i))).join();
    }
  }

  private void appendConcurrently(int from, int to) {
    CompletableFuture.allOf(IntStream.range(from, to)
        .mapToObj(i -> log.append(logged("d-" + i, "execute", "S-" + i, i % 3 == 0 ? Outcome.DENY : Outcome.ALLOW,
            T0.plusSeconds(i))))
        .toArray(CompletableFuture[]::new)).join();
  }

  private void appendAll(List<LoggedDecision> decisions) {
    CompletableFuture.allOf(decisions.stream().map(log::append).toArray(CompletableFuture[]::new)).join();
  }

  static Snapshot snapshot(Snapshot.Kind kind, String path, String text) {
    SortedMap<String, byte[]> files = new TreeMap<>();
    files.put(path, text.getBytes(StandardCharsets.UTF_8));
    files.put("README.md", "# not a rule".getBytes(StandardCharsets.UTF_8));
    return new Snapshot(kind, SourceTree.revision(files), files);
  }

  static void assertSame(Snapshot actual, Snapshot expected) {
    assertThat(actual.kind()).isEqualTo(expected.kind());
    assertThat(actual.revision()).isEqualTo(expected.revision());
    assertThat(actual.files()).containsOnlyKeys(expected.files().keySet());
    expected.files().forEach((path, bytes) -> assertThat(actual.files().get(path)).isEqualTo(bytes));
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static List<String> ids(Page page) {
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
