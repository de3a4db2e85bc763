package dev.gatehouse.server.log;

import com.github.luben.zstd.ZstdCompressCtx;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Group commits into a PostgreSQL log that several replicas write at once.
 *
 * <p>One chain for all replicas: each group commit locks the one row of {@code chain_head} ({@code
 * SELECT … FOR UPDATE}), reads the hash of the newest decision from it, inserts its decisions
 * chained after that hash and writes the new head (one statement), and commits: three round trips.
 * So the writers of all replicas take turns, each batch chains after the batch committed before it
 * whichever replica wrote that, and seq (drawn while the lock is held) is commit order. The lock is
 * held for one statement and the commit; group commit is what keeps that affordable. A replica
 * killed mid-commit loses its connection, and PostgreSQL then rolls its transaction back and
 * releases the lock.
 *
 * <p>Durability: the connection commits with {@code synchronous_commit = on}, whatever the server's
 * default, so a commit has returned only once it is on the database's disk (and on its synchronous
 * standbys, if it has any).
 */
final class PostgresBatchWriter implements BatchWriter {

  private static final String LOCK_HEAD = "SELECT hash FROM chain_head WHERE id = 1 FOR UPDATE";

  /**
   * Every row of a batch, as one array a column, inserted in array order (so seq follows the chain),
   * and the head moved to the last row's hash: one statement, one round trip. A decision id logged
   * already is skipped, and missing from the ids it returns.
   */
  private static final String INSERT_AND_ADVANCE = "WITH inserted AS ("
      + " INSERT INTO decisions (decision_id, logged_at, gate, subject, actor, principal, request, policy_revision,"
      + " workspace_revision, outcome, decision, duration_micros, chain_prev, chain_hash)"
      + " SELECT decision_id, logged_at, gate, subject, actor, principal, request, policy_revision,"
      + " workspace_revision, outcome, decision, duration_micros, chain_prev, chain_hash"
      + " FROM unnest(?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bytea[], ?::text[],"
      + " ?::text[], ?::text[], ?::bytea[], ?::bigint[], ?::bytea[], ?::bytea[]) WITH ORDINALITY"
      + " AS batch_(decision_id, logged_at, gate, subject, actor, principal, request, policy_revision,"
      + " workspace_revision, outcome, decision, duration_micros, chain_prev, chain_hash, position)"
      + " ORDER BY position"
      + " ON CONFLICT (decision_id) DO NOTHING"
      + " RETURNING decision_id)"
      + " UPDATE chain_head SET hash = ? WHERE id = 1 RETURNING ARRAY(SELECT decision_id FROM inserted)";

  /** The array types of {@link #INSERT_AND_ADVANCE}'s columns, in order. */
  private static final String[] TYPES =
      {"text", "int8", "text", "text", "text", "text", "bytea", "text", "text", "text", "bytea", "int8", "bytea", "bytea"};

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
    RuntimeException[] outcomes = new RuntimeException[batch.size()];
    List<Integer> rows = new ArrayList<>(batch.size());
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < batch.size(); i++) {
      if (ids.add(batch.get(i).decision().decisionId())) {
        rows.add(i);
      } else {
        outcomes[i] = alreadyLogged(batch.get(i).decision());
      }
    }
    // Almost always once: again only when a decision id of the batch was logged already, without it.
    while (!rows.isEmpty()) {
      Set<String> refused = write(batch, rows);
      if (refused.isEmpty()) {
        break;
      }
      rows.removeIf(i -> {
        boolean logged = refused.contains(batch.get(i).decision().decisionId());
        if (logged) {
          outcomes[i] = alreadyLogged(batch.get(i).decision());
        }
        return logged;
      });
    }
    return Arrays.asList(outcomes);
  }

  private static IllegalArgumentException alreadyLogged(LoggedDecision d) {
    return new IllegalArgumentException("decision " + d.decisionId() + " is already logged");
  }

  /**
   * One transaction: lock and read the head; insert the rows and move the head; commit.
   *
   * @return the ids of {@code rows} that were logged already, and then nothing was committed; empty
   *     once every row is
   */
  private Set<String> write(List<Entry> batch, List<Integer> rows) throws SQLException {
    try (Connection c = PostgresPool.connect(pool, url)) {
      c.setAutoCommit(false);
      try {
        byte[] last = lockHead(c);
        writeSnapshots(c, batch, rows);
        Object[][] columns = new Object[TYPES.length][];
        for (int col = 0; col < TYPES.length; col++) {
          // Typed as the driver encodes them: byte[][] for bytea[], Long[] for int8[], String[] for text[].
          columns[col] = switch (TYPES[col]) {
            case "bytea" -> new byte[rows.size()][];
            case "int8" -> new Long[rows.size()];
            default -> new String[rows.size()];
          };
        }
        for (int r = 0; r < rows.size(); r++) {
          LoggedDecision d = batch.get(rows.get(r)).decision();
          byte[] hash = chain.hash(last, d);
          Object[] values = Rows.values(d, zstd);
          for (int col = 0; col < values.length; col++) {
            columns[col][r] = values[col];
          }
          columns[12][r] = last;
          columns[13][r] = hash;
          last = hash;
        }
        Set<String> inserted = new HashSet<>();
        try (PreparedStatement insert = c.prepareStatement(INSERT_AND_ADVANCE)) {
          for (int col = 0; col < TYPES.length; col++) {
            insert.setArray(col + 1, c.createArrayOf(TYPES[col], columns[col]));
          }
          insert.setBytes(TYPES.length + 1, last);
          try (ResultSet rs = insert.executeQuery()) {
            if (!rs.next()) {
              throw new SQLException("the decision log's chain_head row is missing: the database was altered");
            }
            inserted.addAll(Arrays.asList((String[]) rs.getArray(1).getArray()));
          }
        }
        if (inserted.size() < rows.size()) {
          // Chained as if every row went in: the hashes after a row that did not are wrong.
          c.rollback();
          Set<String> refused = new HashSet<>();
          rows.forEach(i -> refused.add(batch.get(i).decision().decisionId()));
          refused.removeAll(inserted);
          return refused;
        }
        c.commit();
        return Set.of();
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
  private static void writeSnapshots(Connection c, List<Entry> batch, List<Integer> rows) throws SQLException {
    for (int i : rows) {
      for (Snapshot snapshot : batch.get(i).snapshots()) {
        try (PreparedStatement insert = c.prepareStatement(SnapshotRows.INSERT_POSTGRES)) {
          SnapshotRows.bind(insert, snapshot);
          insert.executeUpdate();
        }
      }
    }
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
