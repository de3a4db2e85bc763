package dev.gatehouse.server.log;

import static dev.gatehouse.server.log.TestDecisions.connect;
import static dev.gatehouse.server.log.TestDecisions.logged;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.model.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaTest {

  @TempDir Path dataDir;

  @Test
  void createsTheDirectoryAndRecordsTheSchemaVersion() throws Exception {
    Path dir = dataDir.resolve("nested/data");
    try (SqliteDecisionLog log = SqliteDecisionLog.open(LogOptions.defaults(dir))) {
      log.append(logged("d-1", "execute", "S", Outcome.ALLOW, Instant.now())).join();
    }

    assertThat(dir.resolve("decisions.db")).isRegularFile();
    try (Connection c = connect(dir.resolve("decisions.db")); Statement st = c.createStatement()) {
      assertThat(Schema.version(st)).isEqualTo(Schema.latest()).isPositive();
      assertThat(st.executeQuery("PRAGMA journal_mode").getString(1)).isEqualTo("wal");
    }
  }

  @Test
  void migratingACurrentFileDoesNothing() throws Exception {
    Path db = dataDir.resolve("decisions.db");
    try (SqliteDecisionLog log = SqliteDecisionLog.open(LogOptions.defaults(dataDir))) {
      log.append(logged("d-1", "execute", "S", Outcome.ALLOW, Instant.now())).join();
    }

    try (Connection c = connect(db)) {
      assertThat(Schema.migrate(c)).isZero();
    }
    try (SqliteDecisionLog log = SqliteDecisionLog.open(LogOptions.defaults(dataDir))) {
      assertThat(log.find("d-1")).isPresent();
    }
  }

  @Test
  void migratesAnEmptyFileFromVersionZero() throws Exception {
    Files.createDirectories(dataDir);
    try (Connection c = connect(dataDir.resolve("decisions.db"))) {
      assertThat(Schema.migrate(c)).isEqualTo(Schema.latest());
    }
  }

  @Test
  void refusesAFileFromANewerVersion() throws Exception {
    try (Connection c = connect(dataDir.resolve("decisions.db")); Statement st = c.createStatement()) {
      st.execute("PRAGMA user_version = " + (Schema.latest() + 1));
    }

    assertThatThrownBy(() -> SqliteDecisionLog.open(LogOptions.defaults(dataDir)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("decision log schema version " + (Schema.latest() + 1)
            + " is newer than the newest known (" + Schema.latest() + "); this version of gatehouse is too old for the file");
    try (Connection c = connect(dataDir.resolve("decisions.db")); Statement st = c.createStatement()) {
      assertThat(Schema.version(st)).isEqualTo(Schema.latest() + 1);
    }
  }

  @Test
  void migratesAVersion1FileKeepingItsRowsAndItsSequence() throws Exception {
    Path db = TestDecisions.version1Log(dataDir);

    try (SqliteDecisionLog log = SqliteDecisionLog.open(LogOptions.defaults(dataDir))) {
      assertThat(log.find("old-1")).hasValueSatisfying(d -> {
        assertThat(d.requestJson()).isEqualTo("{\"gate\":\"execute\"}");
        assertThat(d.decisionJson()).isEqualTo("{\"decisionId\":\"old-1\"}");
      });
      LoggedDecision fresh = logged("new-1", "execute", "S", Outcome.DENY, Instant.now());
      log.append(fresh).join();
      assertThat(log.find("new-1")).contains(fresh);
    }

    try (Connection c = connect(db); Statement st = c.createStatement()) {
      assertThat(Schema.version(st)).isEqualTo(Schema.latest());
      ResultSet rows = st.executeQuery("SELECT decision_id, seq, typeof(request), typeof(decision) FROM decisions ORDER BY seq");
      assertThat(rows.next()).isTrue();
      assertThat(List.of(rows.getString(1), rows.getLong(2), rows.getString(3), rows.getString(4)))
          .containsExactly("old-1", 1L, "text", "text");
      assertThat(rows.next()).isTrue();
      assertThat(List.of(rows.getString(1), rows.getLong(2), rows.getString(3), rows.getString(4)))
          .as("new rows are compressed, and numbered after version 1's last")
          .containsExactly("new-1", 3L, "blob", "blob");
      ResultSet indexes = st.executeQuery(
          "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'decisions%' ORDER BY name");
      List<String> names = new ArrayList<>();
      while (indexes.next()) {
        names.add(indexes.getString(1));
      }
      assertThat(names).containsExactly("decisions_gate", "decisions_logged_at", "decisions_subject");
    }
  }

  @Test
  void readsAVersion1FileReadOnlyWithoutChangingIt() throws Exception {
    Path db = TestDecisions.version1Log(dataDir);
    byte[] before = Files.readAllBytes(db);

    try (DecisionReader reader = SqliteDecisionLog.openReadOnly(db)) {
      assertThat(reader.find("old-1")).hasValueSatisfying(d -> assertThat(d.requestJson()).isEqualTo("{\"gate\":\"execute\"}"));
      assertThat(reader.count(ReplayQuery.all())).isEqualTo(1);
    }

    assertThat(Files.readAllBytes(db)).as("the file, byte for byte").isEqualTo(before);
    try (Connection c = connect(db); Statement st = c.createStatement()) {
      assertThat(Schema.version(st)).isEqualTo(1);
    }
  }

  @Test
  void readOnlyRefusesANewerFileAFileWithoutALogAndAMissingFile() throws Exception {
    Path db = dataDir.resolve("decisions.db");
    try (Connection c = connect(db); Statement st = c.createStatement()) {
      st.execute("PRAGMA user_version = " + (Schema.latest() + 1));
    }
    assertThatThrownBy(() -> SqliteDecisionLog.openReadOnly(db))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is newer than the newest known");

    Path empty = dataDir.resolve("empty.db");
    try (Connection c = connect(empty); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE unrelated (x)");
    }
    assertThatThrownBy(() -> SqliteDecisionLog.openReadOnly(empty))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the file holds no decision log (schema version 0)");

    Path missing = dataDir.resolve("missing.db");
    assertThatThrownBy(() -> SqliteDecisionLog.openReadOnly(missing))
        .isInstanceOfSatisfying(LogUnavailableException.class, e -> assertThat(e.code()).isEqualTo("log-unavailable"));
    assertThat(missing).doesNotExist();
  }

  @Test
  void decisionsFromBeforeTheChainAreCountedAndTheChainStartsAfterThem() throws Exception {
    TestDecisions.version1Log(dataDir);
    try (DecisionReader old = SqliteDecisionLog.openReadOnly(dataDir.resolve("decisions.db"))) {
      assertThat(old.verify()).isEqualTo(new Verification(1, 1, null, List.of()));
    }
    try (SqliteDecisionLog log = SqliteDecisionLog.open(LogOptions.defaults(dataDir))) {
      java.util.concurrent.CompletableFuture.allOf(java.util.stream.IntStream.range(0, 3)
          .mapToObj(i -> log.append(logged("d-" + i, "execute", "S-" + i, Outcome.ALLOW, Instant.now())))
          .toArray(java.util.concurrent.CompletableFuture[]::new)).join();

      Verification v = log.verify();
      assertThat(v.breaks()).isEmpty();
      assertThat(v.checked()).isEqualTo(4);
      assertThat(v.unchained()).isEqualTo(1);
    }
  }

  @Test
  void aLogFromBeforeSnapshotsReadsWithoutThem() throws Exception {
    Path db = TestDecisions.version1Log(dataDir);
    try (DecisionReader reader = SqliteDecisionLog.openReadOnly(db)) {
      assertThat(reader.snapshot("rev")).isEmpty();
    }
  }
}
