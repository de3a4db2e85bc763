package dev.gatehouse.server.log;

import com.github.luben.zstd.ZstdCompressCtx;
import java.nio.file.Files;
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
 */
public final class LogImport implements AutoCloseable {

  private final Connection connection;
  private final PreparedStatement insert;
  private final PreparedStatement insertSnapshot;
  private final ZstdCompressCtx zstd = new ZstdCompressCtx().setLevel(-1);
  private final Chain chain = new Chain();
  private final HexFormat hex = HexFormat.of();
  private byte[] head;
  private long imported;
  private long snapshots;
  private boolean finished;

  private LogImport(Connection connection) throws SQLException {
    this.connection = connection;
    this.insert = connection.prepareStatement(Rows.INSERT);
    this.insertSnapshot = connection.prepareStatement(SnapshotRows.INSERT);
  }

  /**
   * Opens (creating when missing) the log of {@code options} for an import.
   *
   * @throws IllegalStateException when the log holds decisions already
   * @throws LogUnavailableException when it cannot be opened
   */
  public static LogImport into(LogOptions options) {
    SqliteFile file = new SqliteFile(options.databaseFile());
    Connection c = null;
    try {
      Files.createDirectories(options.dataDir());
      c = file.openWriter(options.sync());
      Schema.migrate(c);
      try (Statement st = c.createStatement()) {
        // IMMEDIATE: no server can append between the check and the import.
        st.execute("BEGIN IMMEDIATE");
        try (ResultSet rs = st.executeQuery("SELECT count(*) FROM decisions")) {
          rs.next();
          if (rs.getLong(1) > 0) {
            st.execute("ROLLBACK");
            throw new IllegalStateException("the decision log " + file.path() + " is not empty: import only into an empty log");
          }
        }
      }
      return new LogImport(c);
    } catch (java.io.IOException | SQLException e) {
      close(c);
      throw LogUnavailableException.unavailable("cannot open decision log " + file.path() + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      close(c);
      throw e;
    }
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
    byte[] hash = chain.hash(head, d.decision());
    if (d.hash() != null && !Arrays.equals(hash, hex.parseHex(d.hash()))) {
      throw new IllegalArgumentException("decision " + d.decision().decisionId()
          + " does not match the hash it was exported with: the export was changed");
    }
    Rows.bind(insert, d.decision(), zstd, head, hash);
    try {
      insert.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalArgumentException("decision " + d.decision().decisionId() + " cannot be imported: " + e.getMessage(), e);
    }
    head = hash;
    imported++;
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
    try (Statement st = connection.createStatement()) {
      st.execute("COMMIT");
    }
    finished = true;
    return imported;
  }

  /** Without {@link #finish()}, nothing added is kept. */
  @Override
  public void close() {
    if (!finished) {
      try (Statement st = connection.createStatement()) {
        st.execute("ROLLBACK");
      } catch (SQLException e) {
        // Closing the connection ends the transaction all the same.
      }
    }
    zstd.close();
    close(connection);
  }

  private static void close(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException e) {
        // Nothing was committed that a failing close could lose.
      }
    }
  }
}
