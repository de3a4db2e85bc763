package dev.gatehouse.server.log;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The versioned schema of a PostgreSQL decision log, kept in the one row of {@code
 * gatehouse_schema}: version N means the first N migrations have run. The same scheme as {@link
 * Schema} for SQLite: a list of migrations, only ever appended, run in one transaction. Replicas
 * starting at once take turns on a transaction-level advisory lock, and PostgreSQL's DDL is
 * transactional, so a migration runs once, whole or not at all.
 *
 * <p>What a version 1 database holds: the decisions and snapshots as SQLite keeps them (the same
 * columns, {@code bytea} for SQLite's blobs); {@code chain_head}, one row with the hash of the
 * newest decision, which every writer locks to chain its group commit after the one before; and
 * {@code policy_activations}, the policy set every replica decides with.
 */
final class PostgresSchema {

  /** The advisory lock key migrations take: "gatehouse" in ASCII, far from any key a user picks by hand. */
  static final long MIGRATION_LOCK = 0x6761746568L;

  // Invariant: migrations are only ever appended (see Schema).
  private static final List<List<String>> MIGRATIONS =
      List.of(
          List.of(
              // seq is an identity: assigned by a sequence, never reused. It is drawn only while
              // the writer holds the chain_head row lock, so seq order is commit order across
              // replicas, as cursors and the chain need.
              "CREATE TABLE decisions ("
                  + " seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
                  + " decision_id text NOT NULL UNIQUE,"
                  + " logged_at bigint NOT NULL,"
                  + " gate text NOT NULL,"
                  + " subject text NOT NULL,"
                  + " actor text,"
                  + " principal text,"
                  + " request bytea NOT NULL,"
                  + " policy_revision text NOT NULL,"
                  + " workspace_revision text,"
                  + " outcome text NOT NULL CHECK (outcome IN ('ALLOW', 'DENY')),"
                  + " decision bytea NOT NULL,"
                  + " duration_micros bigint NOT NULL,"
                  + " chain_prev bytea,"
                  + " chain_hash bytea)",
              // With seq in each index, a filtered page reads newest first straight off the index.
              "CREATE INDEX decisions_logged_at ON decisions (logged_at)",
              "CREATE INDEX decisions_gate ON decisions (gate, seq)",
              "CREATE INDEX decisions_subject ON decisions (subject, seq)",
              "CREATE TABLE snapshots ("
                  + " revision text PRIMARY KEY,"
                  + " kind text NOT NULL CHECK (kind IN ('policy', 'workspace')),"
                  + " size bigint NOT NULL,"
                  + " files bytea NOT NULL)",
              "CREATE TABLE chain_head ("
                  + " id integer PRIMARY KEY CHECK (id = 1),"
                  + " hash bytea NOT NULL)",
              "INSERT INTO chain_head (id, hash) VALUES (1, decode(repeat('00', 32), 'hex'))",
              // Newest id is the active set; its files are the policy snapshot of its revision.
              "CREATE TABLE policy_activations ("
                  + " id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
                  + " revision text NOT NULL REFERENCES snapshots (revision),"
                  + " activated_at bigint NOT NULL,"
                  + " activated_by text NOT NULL)"));

  private PostgresSchema() {}

  /** The version this code writes and reads. */
  static int latest() {
    return MIGRATIONS.size();
  }

  /**
   * Brings the schema to {@link #latest()} in one transaction.
   *
   * @return how many migrations ran: 0 when the database was current
   * @throws IllegalStateException when the database was written by a newer version
   */
  static int migrate(Connection connection) throws SQLException {
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try (Statement st = connection.createStatement()) {
      st.execute("SELECT pg_advisory_xact_lock(" + MIGRATION_LOCK + ")");
      st.execute("CREATE TABLE IF NOT EXISTS gatehouse_schema (version integer NOT NULL)");
      int version = version(st);
      refuseNewer(version);
      for (List<String> migration : MIGRATIONS.subList(version, latest())) {
        for (String sql : migration) {
          st.execute(sql);
        }
      }
      st.execute("DELETE FROM gatehouse_schema");
      st.execute("INSERT INTO gatehouse_schema (version) VALUES (" + latest() + ")");
      connection.commit();
      return latest() - version;
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(autoCommit);
    }
  }

  /**
   * Checks that this code can read the database as it is, without migrating it.
   *
   * @throws IllegalStateException when it holds no decision log or one of a newer version
   */
  static void requireReadable(Connection connection) throws SQLException {
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery("SELECT to_regclass('gatehouse_schema') IS NOT NULL")) {
      rs.next();
      if (!rs.getBoolean(1)) {
        throw new IllegalStateException("the database holds no decision log (no gatehouse_schema table)");
      }
      int version = version(st);
      if (version == 0) {
        throw new IllegalStateException("the database holds no decision log (schema version 0)");
      }
      refuseNewer(version);
    }
  }

  private static int version(Statement st) throws SQLException {
    try (ResultSet rs = st.executeQuery("SELECT max(version) FROM gatehouse_schema")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static void refuseNewer(int version) {
    if (version > latest()) {
      throw new IllegalStateException(
          "decision log schema version " + version + " is newer than the newest known ("
              + latest() + "); this version of gatehouse is too old for the database");
    }
  }
}
