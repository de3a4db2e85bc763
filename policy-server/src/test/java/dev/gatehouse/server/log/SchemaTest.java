package dev.gatehouse.server.log;

import static dev.gatehouse.server.log.TestDecisions.connect;
import static dev.gatehouse.server.log.TestDecisions.logged;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.model.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
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
            + " is newer than the newest known (" + Schema.latest() + "); this server is too old for the file");
    try (Connection c = connect(dataDir.resolve("decisions.db")); Statement st = c.createStatement()) {
      assertThat(Schema.version(st)).isEqualTo(Schema.latest() + 1);
    }
  }
}
