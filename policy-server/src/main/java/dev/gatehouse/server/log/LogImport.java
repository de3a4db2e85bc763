package dev.gatehouse.server.log;

import com.github.luben.zstd.ZstdCompressCtx;
import java.nio.file.Files;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * Decisions exported from one log written into another, empty one, in one transaction: all of them
 * or none. Each is chained as the writer chains, after the previous hash the export names for the
 * first, and must come out with the hash it was exported with, so the imported chain is the
 * exported one and an export altered in between is refused. The snapshots the export carries are
 * written too, each only when its files hash to its revision, so that an imported decision can be
 * replayed as decided.
 *
 * <p>Either store takes an export of either: moving an SQLite log to PostgreSQL is an export and
 * an import. On PostgreSQL the import holds the chain's head for its whole transaction, so no
 * replica can log a decision in between, and leaves the head at the last imported decision, so the
 * replicas' decisions chain on after it.
 */
public final class LogImport implements AutoCloseable {

  /** Rows sent to PostgreSQL in one round trip. */
  private static final int POSTGRES_BATCH = 500;

  private final Connection connection;
  private final boolean postgres;
  private final String where;
  private final PreparedStatement insert;
  private final PreparedStatement insertSnapshot;
  private final ZstdCompressCtx zstd = new ZstdCompressCtx().setLevel(-1);
  private final Chain chain = new Chain();
  private final HexFormat hex = HexFormat.of();
  private byte[] head;
  private long imported;
  private long snapshots;
  private int pending;
  private String firstPending;
  private boolean finished;

  private LogImport(Connection connection, boolean postgres, String where) throws SQLException {
    this.connection = connection;
    this.postgres = postgres;
    this.where = where;
    this.insert = connection.prepareStatement(Rows.INSERT);
    this.insertSnapshot = connection.prepareStatement(postgres ? SnapshotRows.INSERT_POSTGRES : SnapshotRows.INSERT_SQLITE);
  }

  /**
   * Opens (creating when missing) the log of {@code options} for an import.
   *
   * @throws IllegalStateException when the log holds decisions already
   * @throws LogUnavailableException when it cannot be opened
   */
  public static LogImport into(LogOptions options) {
    Connection c = null;
    try {
      if (options.onPostgres()) {
        c = options.postgres().connect();
        PostgresSchema.migrate(c);
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
          st.execute("SET synchronous_commit = on");
          // The head's lock, as a writer takes it: no replica appends between the check and the import.
          st.executeQuery("SELECT hash FROM chain_head WHERE id = 1 FOR UPDATE").close();
        }
      } else {
        SqliteFile file = new SqliteFile(options.databaseFile());
        Files.createDirectories(options.dataDir());
        c = file.openWriter(options.sync());
        Schema.migrate(c);
        try (Statement st = c.createStatement()) {
          // IMMEDIATE: no server can append between the check and the import.
          st.execute("BEGIN IMMEDIATE");
        }
      }
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM decisions")) {
        rs.next();
        if (rs.getLong(1) > 0) {
          throw new IllegalStateException("the decision log " + options.describe() + " is not empty: import only into an empty log");
        }
      }
      return new LogImport(c, options.onPostgres(), options.describe());
    } catch (java.io.IOException | SQLException e) {
      rollbackAndClose(c, options.onPostgres());
      throw LogUnavailableException.unavailable("cannot open decision log " + options.describe() + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      rollbackAndClose(c, options.onPostgres());
      throw e;
    }
  }

  /** Where the decisions go, for messages. */
  public String where() {
    return where;
  }

  /**
   * Writes the next decision, chained after the one before.
   *
   * @throws IllegalArgumentException when it does not come out with the hash it was exported with,
   *     or its id is already imported
   */
  public void add(ChainedDecision d) throws SQLException {
    if (head == null) {
      head = d.previous() == null ? Chain.GENESIS : hex.parseHex(d.previous());
    }
    EncodedDecision encoded = EncodedDecision.of(d.decision());
    byte[] hash = chain.hash(head, encoded);
    if (d.hash() != null && !Arrays.equals(hash, hex.parseHex(d.hash()))) {
      throw new IllegalArgumentException("decision " + d.decision().decisionId()
          + " does not match the hash it was exported with: the export was changed");
    }
    Rows.bind(insert, encoded, zstd, head, hash);
    if (postgres) {
      // Sent in batches: one round trip per decision would make a large import slow.
      insert.addBatch();
      if (pending++ == 0) {
        firstPending = d.decision().decisionId();
      }
      if (pending == POSTGRES_BATCH) {
        flush();
      }
    } else {
      try {
        insert.executeUpdate();
      } catch (SQLException e) {
        throw new IllegalArgumentException("decision " + d.decision().decisionId() + " cannot be imported: " + e.getMessage(), e);
      }
    }
    head = hash;
    imported++;
  }

  private void flush() {
    if (pending == 0) {
      return;
    }
    try {
      insert.executeBatch();
    } catch (SQLException e) {
      SQLException cause = e instanceof BatchUpdateException && e.getNextException() != null ? e.getNextException() : e;
      throw new IllegalArgumentException("the " + pending + " decisions from " + firstPending
          + " on cannot be imported: " + cause.getMessage(), e);
    }
    pending = 0;
  }

  /**
   * Writes the files of a policy set or workspace revision that exported decisions name.
   *
   * @throws IllegalArgumentException when the files do not hash to {@code revision}: the export was
   *     changed
   */
  public void addSnapshot(Snapshot.Kind kind, String revision, Map<String, byte[]> files) throws SQLException {
    Snapshot snapshot;
    try {
      snapshot = Snapshot.verified(kind, revision, new TreeMap<>(files));
    } catch (IllegalStateException e) {
      throw new IllegalArgumentException("snapshot " + revision + " does not hold the files of its revision: the export was changed", e);
    }
    SnapshotRows.bind(insertSnapshot, snapshot);
    snapshots += insertSnapshot.executeUpdate();
  }

  /** How many snapshots were written so far (one carried twice is written once). */
  public long snapshots() {
    return snapshots;
  }

  /** Commits every decision added; returns how many. */
  public long finish() throws SQLException {
    if (postgres) {
      flush();
      if (head != null) {
        try (PreparedStatement ps = connection.prepareStatement("UPDATE chain_head SET hash = ? WHERE id = 1")) {
          ps.setBytes(1, head);
          ps.executeUpdate();
        }
      }
      connection.commit();
    } else {
      try (Statement st = connection.createStatement()) {
        st.execute("COMMIT");
      }
    }
    finished = true;
    return imported;
  }

  /** Without {@link #finish()}, nothing added is kept. */
  @Override
  public void close() {
    if (!finished) {
      rollbackAndClose(connection, postgres);
    } else {
      closeQuietly(connection);
    }
    zstd.close();
  }

  private static void rollbackAndClose(Connection c, boolean postgres) {
    if (c == null) {
      return;
    }
    try {
      if (postgres) {
        c.rollback();
      } else {
        try (Statement st = c.createStatement()) {
          st.execute("ROLLBACK");
        }
      }
    } catch (SQLException e) {
      // Closing the connection ends the transaction all the same.
    }
    closeQuietly(c);
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException e) {
      // Nothing was committed that a failing close could lose.
    }
  }
}
