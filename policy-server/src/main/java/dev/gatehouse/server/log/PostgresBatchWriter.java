package dev.gatehouse.server.log;

import com.github.luben.zstd.ZstdCompressCtx;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Group commits into a PostgreSQL log that several replicas write at once.
 *
 * <p>One chain for all replicas: each group commit locks the one row of {@code chain_head} ({@code
 * SELECT … FOR UPDATE}), reads the hash of the newest decision from it, inserts its decisions
 * chained after that hash, writes the new head and commits. So the writers of all replicas take
 * turns, each batch chains after the batch committed before it whichever replica wrote that, and
 * seq (drawn while the lock is held) is commit order. The lock is held for one group commit, a few
 * milliseconds; group commit is what keeps that affordable. A replica killed mid-commit loses its
 * connection, and PostgreSQL then rolls its transaction back and releases the lock.
 *
 * <p>Durability: the connection commits with {@code synchronous_commit = on}, whatever the server's
 * default, so a commit has returned only once it is on the database's disk (and on its synchronous
 * standbys, if it has any).
 */
final class PostgresBatchWriter implements BatchWriter {

  private static final String LOCK_HEAD = "SELECT hash FROM chain_head WHERE id = 1 FOR UPDATE";
  private static final String UPDATE_HEAD = "UPDATE chain_head SET hash = ? WHERE id = 1";
  private static final String LOGGED = "SELECT decision_id FROM decisions WHERE decision_id = ANY (?)";

  private final HikariDataSource pool;
  private final PostgresUrl url;
  private final Chain chain = new Chain();
  // As SQLite's writer: a fast level, the CPU is what a decision waits for.
  private final ZstdCompressCtx zstd = new ZstdCompressCtx().setLevel(-1);

  PostgresBatchWriter(HikariDataSource pool, PostgresUrl url) {
    this.pool = pool;
    this.url = url;
  }

  @Override
  public List<RuntimeException> commit(List<Entry> batch) throws SQLException {
    try (Connection c = PostgresPool.connect(pool, url)) {
      c.setAutoCommit(false);
      try {
        byte[] last = lockHead(c);
        writeSnapshots(c, batch);
        // Invariant: the ids checked here cannot be logged by anyone before this commits, since
        // every writer (replicas, imports) inserts only while holding the head's lock.
        Set<String> logged = logged(c, batch);
        List<RuntimeException> outcomes = new ArrayList<>(batch.size());
        try (PreparedStatement insert = c.prepareStatement(Rows.INSERT)) {
          int rows = 0;
          for (Entry entry : batch) {
            LoggedDecision d = entry.decision();
            if (!logged.add(d.decisionId())) {
              outcomes.add(new IllegalArgumentException("decision " + d.decisionId() + " is already logged"));
              continue;
            }
            byte[] hash = chain.hash(last, d);
            Rows.bind(insert, d, zstd, last, hash);
            insert.addBatch();
            rows++;
            outcomes.add(null);
            last = hash;
          }
          if (rows > 0) {
            insert.executeBatch();
          }
        }
        try (PreparedStatement head = c.prepareStatement(UPDATE_HEAD)) {
          head.setBytes(1, last);
          head.executeUpdate();
        }
        c.commit();
        return outcomes;
      } catch (SQLException | RuntimeException e) {
        rollback(c, e);
        throw e;
      }
    }
  }

  /** Locks the head of the chain until this transaction ends, and returns its hash. */
  private static byte[] lockHead(Connection c) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(LOCK_HEAD)) {
      if (!rs.next()) {
        throw new SQLException("the decision log's chain_head row is missing: the database was altered");
      }
      return rs.getBytes(1);
    }
  }

  /** Writes each snapshot ahead of the decisions that name it; one another replica stored stays as it is. */
  private static void writeSnapshots(Connection c, List<Entry> batch) throws SQLException {
    try (PreparedStatement insert = c.prepareStatement(SnapshotRows.INSERT_POSTGRES)) {
      for (Entry entry : batch) {
        for (Snapshot snapshot : entry.snapshots()) {
          SnapshotRows.bind(insert, snapshot);
          insert.executeUpdate();
        }
      }
    }
  }

  /** The ids of the batch that are logged already, as a mutable set. */
  private static Set<String> logged(Connection c, List<Entry> batch) throws SQLException {
    Set<String> logged = new HashSet<>();
    Array ids = c.createArrayOf("text", batch.stream().map(e -> e.decision().decisionId()).toArray());
    try (PreparedStatement ps = c.prepareStatement(LOGGED)) {
      ps.setArray(1, ids);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          logged.add(rs.getString(1));
        }
      }
    } finally {
      ids.free();
    }
    return logged;
  }

  /**
   * Takes the head's lock as a batch does and lets it go: fails while the database cannot be
   * reached, and on a database that takes no writes (a read-only standby refuses {@code FOR
   * UPDATE}).
   */
  @Override
  public void probe(int rowBytes) throws SQLException {
    try (Connection c = PostgresPool.connect(pool, url)) {
      c.setAutoCommit(false);
      try {
        lockHead(c);
      } finally {
        c.rollback();
      }
    }
  }

  @Override
  public void sweep(Retention retention) throws SQLException {
    try (Connection c = PostgresPool.connect(pool, url)) {
      retention.step(c);
    }
  }

  @Override
  public void close() {
    zstd.close();
  }

  private static void rollback(Connection c, Exception failure) {
    try {
      c.rollback();
    } catch (SQLException e) {
      // A connection that broke cannot roll back; the server rolls the transaction back when it
      // notices the connection is gone. The pool drops such a connection.
      failure.addSuppressed(e);
    }
  }
}
