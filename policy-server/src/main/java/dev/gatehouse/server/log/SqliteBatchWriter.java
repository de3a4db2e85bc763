package dev.gatehouse.server.log;

import com.github.luben.zstd.ZstdCompressCtx;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * Group commits into {@code decisions.db} on the one connection that writes it: {@code BEGIN
 * IMMEDIATE} takes SQLite's write lock, so the head of the chain can be kept in memory between
 * commits.
 */
final class SqliteBatchWriter implements BatchWriter {

  private static final Logger LOG = LoggerFactory.getLogger(SqliteBatchWriter.class);

  private final Connection connection;
  // Prepared once and kept: preparing them per batch cost as much as a small batch's inserts.
  // Null after a failed batch, since sqlite-jdbc can leave a statement unusable after some
  // failures (SQLITE_FULL); the next batch prepares them again.
  private PreparedStatement begin;
  private PreparedStatement insert;
  private PreparedStatement insertSnapshot;
  private PreparedStatement commit;
  // The hash of the last committed decision; null when it must be read from the file first: at
  // start, and after a failed batch, whose COMMIT may have reached the disk all the same.
  private byte[] head;
  private final Chain chain = new Chain();
  // -1 (a fast level): 52% of the bytes at 3.4 us a column, where level 1 gave 41% at 5.6 us
  // (BENCHMARKS.md); the CPU is what a decision waits for.
  private final ZstdCompressCtx zstd = new ZstdCompressCtx().setLevel(-1);

  SqliteBatchWriter(Connection connection) {
    this.connection = connection;
  }

  @Override
  public List<RuntimeException> commit(List<Entry> batch) throws SQLException {
    List<RuntimeException> outcomes = new ArrayList<>(batch.size());
    try {
      if (begin == null) {
        begin = connection.prepareStatement("BEGIN IMMEDIATE");
        insert = connection.prepareStatement(Rows.INSERT);
        insertSnapshot = connection.prepareStatement(SnapshotRows.INSERT_SQLITE);
        commit = connection.prepareStatement("COMMIT");
      }
      begin.execute();
      try {
        // Invariant: decisions chain in commit order, which is seq order; the write lock taken by
        // BEGIN IMMEDIATE keeps any other writer from slipping a row in between.
        byte[] last = head != null ? head : committedHead();
        for (Entry entry : batch) {
          for (Snapshot snapshot : entry.snapshots()) {
            // A failure fails the batch: a decision is not committed without the files it was made from.
            SnapshotRows.bind(insertSnapshot, snapshot);
            insertSnapshot.executeUpdate();
          }
          EncodedDecision encoded = EncodedDecision.of(entry.decision());
          byte[] hash = chain.hash(last, encoded);
          RuntimeException refused = insert(encoded, last, hash);
          outcomes.add(refused);
          if (refused == null) {
            last = hash;
          }
        }
        commit.execute();
        head = last;
        return outcomes;
      } catch (SQLException | RuntimeException e) {
        rollback();
        throw e;
      }
    } catch (SQLException | RuntimeException e) {
      closeStatements();
      head = null;
      throw e;
    }
  }

  /**
   * Inserts one row inside the batch's transaction.
   *
   * @return null when inserted, or why this row alone was refused; a failed statement is undone
   *     by SQLite without ending the transaction, so the rest of the batch still commits
   * @throws SQLException when the failure is not this row's own and the batch must not commit
   */
  private RuntimeException insert(EncodedDecision d, byte[] previous, byte[] hash) throws SQLException {
    Rows.bind(insert, d, zstd, previous, hash);
    try {
      insert.executeUpdate();
      return null;
    } catch (SQLiteException e) {
      int primary = e.getResultCode().code & 0xff;
      if (primary == SQLiteErrorCode.SQLITE_CONSTRAINT.code) {
        return new IllegalArgumentException("decision " + d.decision().decisionId() + " is already logged");
      }
      if (primary == SQLiteErrorCode.SQLITE_TOOBIG.code) {
        return new IllegalArgumentException("decision " + d.decision().decisionId() + " is too large to log");
      }
      throw e;
    }
  }

  /**
   * The hash of the newest decision in the file: where the chain goes on. A log whose newest row
   * has none (written before the chain, or emptied by retention) starts it again at {@link
   * Chain#GENESIS}.
   */
  private byte[] committedHead() throws SQLException {
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery("SELECT chain_hash FROM decisions ORDER BY seq DESC LIMIT 1")) {
      byte[] hash = rs.next() ? rs.getBytes(1) : null;
      return hash != null ? hash : Chain.GENESIS;
    }
  }

  /**
   * Takes the write lock, makes room for a row as big as the largest that failed and undoes it (a
   * full file fails there), and commits a rewrite of the sequence counter's page, as a batch would
   * (an unwritable file fails there). A disk with no room for the commit's pages can still pass it;
   * the next batch then fails again.
   */
  @Override
  public void probe(int rowBytes) throws SQLException {
    try (Statement st = connection.createStatement()) {
      st.execute("BEGIN IMMEDIATE");
      try {
        st.execute("SAVEPOINT probe");
        // '' is no decision id: decision ids are UUIDs.
        st.execute("INSERT INTO decisions (decision_id, logged_at, gate, subject, request, policy_revision, outcome,"
            + " decision, duration_micros) VALUES ('', 0, '', '', zeroblob(" + rowBytes + "), '', 'ALLOW', x'', 0)");
        st.execute("ROLLBACK TO probe");
        st.execute("RELEASE probe");
        st.execute("UPDATE sqlite_sequence SET seq = seq WHERE name = 'decisions'");
        st.execute("COMMIT");
      } catch (SQLException e) {
        rollback();
        throw e;
      }
    }
  }

  @Override
  public void sweep(Retention retention) throws SQLException {
    retention.step(connection);
  }

  @Override
  public void checkpoint(boolean waitForReaders) {
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery("PRAGMA wal_checkpoint(" + (waitForReaders ? "RESTART" : "PASSIVE") + ")")) {
      rs.next();
    } catch (SQLException | RuntimeException e) {
      // Nothing committed is at risk; the checkpointer asks again after its next round.
      LOG.warn("decision log checkpoint failed, will retry: {}", e.getMessage());
    }
  }

  @Override
  public void close() {
    closeStatements();
    zstd.close();
    try {
      connection.close();
    } catch (SQLException e) {
      // Every commit has returned already; a failing close loses nothing that was acknowledged.
    }
  }

  private void closeStatements() {
    for (PreparedStatement ps : new PreparedStatement[] {begin, insert, insertSnapshot, commit}) {
      if (ps != null) {
        try {
          ps.close();
        } catch (SQLException e) {
          // A statement that cannot even be closed is dropped all the same; it holds no data.
        }
      }
    }
    begin = null;
    insert = null;
    insertSnapshot = null;
    commit = null;
  }

  private void rollback() {
    try (Statement st = connection.createStatement()) {
      st.execute("ROLLBACK");
    } catch (SQLException e) {
      // SQLite rolls back by itself after some errors (a full disk, an I/O error); then there is
      // no transaction left to end and this fails harmlessly.
    }
  }
}
