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
              "CREATE INDEX decisions_policy_revision ON decisions (policy_revision)"),
          // Version 2, for the cost of a group commit: every index and every page a row spills
          // onto is a page written to the WAL and again by the checkpoint. The request and the
          // decision become ANY, holding zstd-compressed UTF-8 (a BLOB) from now on and the text of
          // version 1 rows as it was; and only the indexes a query uses remain (outcome, with two
          // values, is as quick to filter while reading the newest rows first).
          List.of(
              "CREATE TABLE decisions_v2 ("
                  + " seq INTEGER PRIMARY KEY AUTOINCREMENT,"
                  + " decision_id TEXT NOT NULL UNIQUE,"
                  + " logged_at INTEGER NOT NULL,"
                  + " gate TEXT NOT NULL,"
                  + " subject TEXT NOT NULL,"
                  + " actor TEXT,"
                  + " principal TEXT,"
                  + " request ANY NOT NULL,"
                  + " policy_revision TEXT NOT NULL,"
                  + " workspace_revision TEXT,"
                  + " outcome TEXT NOT NULL CHECK (outcome IN ('ALLOW', 'DENY')),"
                  + " decision ANY NOT NULL,"
                  + " duration_micros INTEGER NOT NULL"
                  + ") STRICT",
              "INSERT INTO decisions_v2 SELECT * FROM decisions",
              // The sequence goes on from where version 1 left it, even past rows retention deleted.
              "UPDATE sqlite_sequence SET seq = (SELECT seq FROM sqlite_sequence WHERE name = 'decisions')"
                  + " WHERE name = 'decisions_v2'",
              "INSERT INTO sqlite_sequence (name, seq)"
                  + " SELECT 'decisions_v2', seq FROM sqlite_sequence WHERE name = 'decisions'"
                  + " AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'decisions_v2')",
              "DROP TABLE decisions",
              "ALTER TABLE decisions_v2 RENAME TO decisions",
              "CREATE INDEX decisions_logged_at ON decisions (logged_at)",
              "CREATE INDEX decisions_gate ON decisions (gate)",
              "CREATE INDEX decisions_subject ON decisions (subject)"),
          // Version 3: the files every policy set and workspace revision that decided something
          // was made from, once per revision (SnapshotRows), so a decision can be decided again as
          // it was. Rows of the decisions table name them by their revision columns.
          List.of(
              "CREATE TABLE snapshots ("
                  + " revision TEXT PRIMARY KEY,"
                  + " kind TEXT NOT NULL CHECK (kind IN ('policy', 'workspace')),"
                  + " size INTEGER NOT NULL,"
                  + " files BLOB NOT NULL"
                  + ") STRICT"),
          // Version 4: the hash chain (Chain). Each row carries the hash of the row before it and its
          // own; rows of earlier versions carry neither and stand before the chain.
          List.of(
              "ALTER TABLE decisions ADD COLUMN chain_prev BLOB",
              "ALTER TABLE decisions ADD COLUMN chain_hash BLOB"));

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
    return migrate(connection, latest());
  }

  /** Brings the schema to version {@code target} (at most {@link #latest()}); tests build old files with it. */
  static int migrate(Connection connection, int target) throws SQLException {
    try (Statement st = connection.createStatement()) {
      // IMMEDIATE: two servers opening one file at once cannot both run a migration.
      st.execute("BEGIN IMMEDIATE");
      try {
        int version = version(st);
        refuseNewer(version);
        if (version >= target) {
          st.execute("COMMIT");
          return 0;
        }
        for (List<String> migration : MIGRATIONS.subList(version, target)) {
          for (String sql : migration) {
            st.execute(sql);
          }
        }
        // user_version lives in the file header and is part of this transaction.
        st.execute("PRAGMA user_version = " + target);
        st.execute("COMMIT");
        return target - version;
      } catch (SQLException | RuntimeException e) {
        st.execute("ROLLBACK");
        throw e;
      }
    }
  }

  /**
   * Checks that this code can read the file as it is, without migrating it: the decisions of
   * every version read alike (version 4 only adds the chain's columns); a file before version 3 has
   * no snapshots, one before version 4 no chain.
   *
   * @return the file's version
   * @throws IllegalStateException when the file holds no decision log or one of a newer version
   */
  static int requireReadable(Statement st) throws SQLException {
    int version = version(st);
    if (version == 0) {
      throw new IllegalStateException("the file holds no decision log (schema version 0)");
    }
    refuseNewer(version);
    return version;
  }

  /** The first version with a {@code snapshots} table. */
  static final int SNAPSHOTS = 3;

  /** The first version whose decisions carry the hash chain. */
  static final int CHAIN = 4;

  private static void refuseNewer(int version) {
    if (version > latest()) {
      throw new IllegalStateException(
          "decision log schema version " + version + " is newer than the newest known ("
              + latest() + "); this version of gatehouse is too old for the file");
    }
  }

  static int version(Statement st) throws SQLException {
    try (ResultSet rs = st.executeQuery("PRAGMA user_version")) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
