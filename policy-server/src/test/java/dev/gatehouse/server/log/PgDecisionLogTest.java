package dev.gatehouse.server.log;

import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The decision log's contract on PostgreSQL: a database of this class's own on the test server
 * ({@link TestPostgres}), a fresh schema of it for every log.
 */
class PgDecisionLogTest extends DecisionLogContract {

  @RegisterExtension static final TestPostgres.ClassDatabase database = new TestPostgres.ClassDatabase();
  private PostgresUrl current;

  @Override
  LogOptions newLog() {
    PostgresUrl url = database.freshSchema();
    if (current == null) {
      current = url;
    }
    return LogOptions.postgres(url);
  }

  @Override
  LogOptions options() {
    return LogOptions.postgres(current);
  }

  @Override
  int sql(String sql) throws Exception {
    try (Connection c = current.connect(); Statement st = c.createStatement()) {
      return st.executeUpdate(sql);
    }
  }

  @Override
  String bytes(String hex) {
    return "'\\x" + hex + "'::bytea";
  }

  @Override
  AutoCloseable holdWriteLock() throws Exception {
    Connection other = current.connect();
    other.setAutoCommit(false);
    try (Statement st = other.createStatement()) {
      st.executeQuery("SELECT hash FROM chain_head WHERE id = 1 FOR UPDATE").close();
    }
    return () -> {
      other.rollback();
      other.close();
    };
  }
}
