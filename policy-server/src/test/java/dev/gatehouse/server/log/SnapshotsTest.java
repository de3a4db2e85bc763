package dev.gatehouse.server.log;

import static dev.gatehouse.server.log.TestDecisions.connect;
import static dev.gatehouse.server.log.TestDecisions.logged;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.model.Outcome;
import dev.gatehouse.rules.source.SourceTree;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Snapshots by revision: stored once, read back as written, kept while a decision names them. */
class SnapshotsTest {

  @TempDir Path dataDir;

  @Test
  void eachRevisionIsStoredOnceHoweverManyDecisionsNameIt() throws Exception {
    Snapshot policy = snapshot(Snapshot.Kind.POLICY, "execute.dslr", "rule \"a\" ...");
    Snapshot workspace = snapshot(Snapshot.Kind.WORKSPACE, "approvals.yaml", "approvals: []");
    Snapshot edited = snapshot(Snapshot.Kind.WORKSPACE, "approvals.yaml", "approvals: [] # edited");
    try (SqliteDecisionLog log = SqliteDecisionLog.open(LogOptions.defaults(dataDir))) {
      // Some in one group commit, some in later ones: neither writes a revision twice.
      CompletableFuture.allOf(IntStream.range(0, 50).mapToObj(i -> log.append(
          logged("d-" + i, "execute", "S", Outcome.ALLOW, Instant.now()), List.of(policy, workspace), Runnable::run))
          .toArray(CompletableFuture[]::new)).join();
      log.append(logged("e-1", "execute", "S", Outcome.ALLOW, Instant.now()), List.of(policy, edited), Runnable::run).join();

      assertThat(log.snapshot(policy.revision())).hasValueSatisfying(s -> assertSame(s, policy));
      assertThat(log.snapshot(workspace.revision())).hasValueSatisfying(s -> assertSame(s, workspace));
      assertThat(log.snapshot(edited.revision())).hasValueSatisfying(s -> assertSame(s, edited));
      assertThat(log.snapshot("sha256:none")).isEmpty();
    }
    try (Connection c = connect(dataDir.resolve("decisions.db")); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT kind, count(*) FROM snapshots GROUP BY kind ORDER BY kind")) {
      assertThat(rs.next()).isTrue();
      assertThat(List.of(rs.getString(1), rs.getInt(2))).containsExactly("policy", 1);
      assertThat(rs.next()).isTrue();
      assertThat(List.of(rs.getString(1), rs.getInt(2))).containsExactly("workspace", 2);
    }
  }

  @Test
  void anAlteredSnapshotIsRefusedRatherThanReadAsTheRevision() throws Exception {
    Snapshot policy = snapshot(Snapshot.Kind.POLICY, "execute.dslr", "rule \"a\" ...");
    Snapshot other = snapshot(Snapshot.Kind.POLICY, "execute.dslr", "rule \"b\" ...");
    try (SqliteDecisionLog log = SqliteDecisionLog.open(LogOptions.defaults(dataDir))) {
      log.append(logged("d-1", "execute", "S", Outcome.ALLOW, Instant.now()), List.of(policy), Runnable::run).join();
      log.append(logged("d-2", "execute", "S", Outcome.ALLOW, Instant.now()), List.of(other), Runnable::run).join();
      // A second connection to the file swaps one revision's files for the other's.
      try (Connection c = connect(dataDir.resolve("decisions.db")); Statement st = c.createStatement()) {
        st.executeUpdate("UPDATE snapshots SET files = (SELECT files FROM snapshots WHERE revision = '"
            + other.revision() + "') WHERE revision = '" + policy.revision() + "'");
      }

      assertThatThrownBy(() -> log.snapshot(policy.revision()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("the stored snapshot of " + policy.revision() + " holds files of " + other.revision()
              + ": it was altered");
    }
  }

  @Test
  void retentionKeepsTheSnapshotsOfTheDecisionsItKeeps() {
    Snapshot old = snapshot(Snapshot.Kind.POLICY, "execute.dslr", "old");
    Snapshot kept = snapshot(Snapshot.Kind.POLICY, "execute.dslr", "kept");
    Instant now = Instant.now();
    try (SqliteDecisionLog log = SqliteDecisionLog.open(LogOptions.defaults(dataDir).withRetention(Duration.ofDays(1), null))) {
      log.append(logged("old", "execute", "S", Outcome.ALLOW, now.minus(Duration.ofDays(3))), List.of(old), Runnable::run).join();
      log.append(logged("kept", "execute", "S", Outcome.ALLOW, now), List.of(kept), Runnable::run).join();

      assertThat(log.enforceRetention()).isEqualTo(1);
      assertThat(log.snapshot(kept.revision())).hasValueSatisfying(s -> assertSame(s, kept));
    }
  }

  @Test
  void aLogFromBeforeSnapshotsReadsWithoutThem() throws Exception {
    Path db = TestDecisions.version1Log(dataDir);
    try (DecisionReader reader = SqliteDecisionLog.openReadOnly(db)) {
      assertThat(reader.snapshot("rev")).isEmpty();
    }
  }

  private static Snapshot snapshot(Snapshot.Kind kind, String path, String text) {
    SortedMap<String, byte[]> files = new TreeMap<>();
    files.put(path, text.getBytes(StandardCharsets.UTF_8));
    files.put("README.md", "# not a rule".getBytes(StandardCharsets.UTF_8));
    return new Snapshot(kind, SourceTree.revision(files), files);
  }

  private static void assertSame(Snapshot actual, Snapshot expected) {
    assertThat(actual.kind()).isEqualTo(expected.kind());
    assertThat(actual.revision()).isEqualTo(expected.revision());
    assertThat(actual.files()).containsOnlyKeys(expected.files().keySet());
    expected.files().forEach((path, bytes) -> assertThat(actual.files().get(path)).isEqualTo(bytes));
  }
}
