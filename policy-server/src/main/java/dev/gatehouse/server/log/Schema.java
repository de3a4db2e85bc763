package dev.gatehouse.server.log;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The versioned schema of {@code decisions.db}, kept in {@code PRAGMA user_version}: version N means
 * the first N migrations have run.
 */
final class Schema {

  // Invariant: migrations are only ever appended. Files in the field have run the published ones,
  // so changing one would leave those files on a schema this code does not describe.
  private static final List<List<String>> MIGRATIONS =
      List.of(
          List.of(
              // seq is AUTOINCREMENT so that it is never reused, even after retention empties the
              // table: cursors hold a seq and rely on that.
              "CREATE TABLE decisions ("
                  + " seq INTEGER PRIMARY KEY AUTOINCREMENT,"
                  + " decision_id TEXT NOT NULL UNIQUE,"
                  + " logged_at INTEGER NOT NULL,"
                  + " gate TEXT NOT NULL,"
                  + " subject TEXT NOT NULL,"
                  + " actor TEXT,"
                  + " principal TEXT,"
                  + " request TEXT NOT NULL,"
                  + " policy_revision TEXT NOT NULL,"
                  + " workspace_revision TEXT,"
                  + " outcome TEXT NOT NULL CHECK (outcome IN ('ALLOW', 'DENY')),"
                  + " decision TEXT NOT NULL,"
                  + " duration_micros INTEGER NOT NULL"
                  + ") STRICT",
              // Each index also orders by seq (the rowid), so a filtered page reads newest first
              // straight off the index.
              "CREATE INDEX decisions_logged_at ON decisions (logged_at)",
              "CREATE INDEX decisions_gate ON decisions (gate)",
              "CREATE INDEX decisions_subject ON decisions (subject)",
              "CREATE INDEX decisions_outcome ON decisions (outcome)",
              "CREATE INDEX decisions_actor ON decisions (actor)",
              "CREATE INDEX decisions_policy_revision ON decisions (policy_revision)"));

  private Schema() {}

  /** The version this code writes and reads. */
  static int latest() {
    return MIGRATIONS.size();
  }

  /**
   * Brings the schema to {@link #latest()} in one transaction.
   *
   * @return how many migrations ran: 0 when the file was current
   * @throws IllegalStateException when the file was written by a newer version
   */
  static int migrate(Connection connection) throws SQLException {
    try (Statement st = connection.createStatement()) {
      // IMMEDIATE: two servers opening one file at once cannot both run a migration.
      st.execute("BEGIN IMMEDIATE");
      try {
        int version = version(st);
        if (version > latest()) {
          throw new IllegalStateException(
              "decision log schema version " + version + " is newer than the newest known ("
                  + latest() + "); this server is too old for the file");
        }
        for (List<String> migration : MIGRATIONS.subList(version, latest())) {
          for (String sql : migration) {
            st.execute(sql);
          }
        }
        // user_version lives in the file header and is part of this transaction.
        st.execute("PRAGMA user_version = " + latest());
        st.execute("COMMIT");
        return latest() - version;
      } catch (SQLException | RuntimeException e) {
        st.execute("ROLLBACK");
        throw e;
      }
    }
  }

  static int version(Statement st) throws SQLException {
    try (ResultSet rs = st.executeQuery("PRAGMA user_version")) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
