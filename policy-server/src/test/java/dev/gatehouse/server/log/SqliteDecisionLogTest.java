package dev.gatehouse.server.log;

import static dev.gatehouse.server.log.TestDecisions.assertIntegrity;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/** The decision log's contract on SQLite: a file in a data directory. */
class SqliteDecisionLogTest extends DecisionLogContract {

  @TempDir Path dir;
  private final List<LogOptions> logs = new ArrayList<>();

  @Override
  LogOptions newLog() {
    LogOptions options = LogOptions.defaults(dir.resolve("data-" + logs.size()));
    logs.add(options);
    return options;
  }

  @Override
  LogOptions options() {
    return logs.get(0);
  }

  @Override
  int sql(String sql) throws Exception {
    try (Connection c = TestDecisions.connect(options().databaseFile()); Statement st = c.createStatement()) {
      return st.executeUpdate(sql);
    }
  }

  @Override
  String bytes(String hex) {
    return "x'" + hex + "'";
  }

  @Override
  AutoCloseable holdWriteLock() throws Exception {
    Connection other = TestDecisions.connect(options().databaseFile());
    Statement lock = other.createStatement();
    lock.execute("BEGIN IMMEDIATE");
    return () -> {
      lock.execute("ROLLBACK");
      other.close();
    };
  }

  @Override
  void checkStore() throws Exception {
    for (LogOptions log : logs) {
      if (log.databaseFile().toFile().isFile()) {
        assertIntegrity(log.databaseFile());
      }
    }
  }
}
