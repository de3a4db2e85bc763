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
 * <p>One chain for all replicas: the one row of {@code chain_head} holds the hash of the newest
 * decision, and a group commit moves it, under its row lock, from the hash its decisions were
 * chained after to the hash of its last one, in the same transaction as their rows. So the writers
 * of all replicas take turns, each batch chains after the batch committed before it whichever
 * replica wrote that, and seq (drawn while the lock is held) is commit order. A replica killed
 * mid-commit loses its connection, and PostgreSQL then rolls its transaction back and releases the
 * lock.
 *
 * <p>Two ways to commit a batch. First, in one statement and one round trip: chained after the
 * head this writer last committed, the rows are inserted only if the head still is that hash
 * ({@link #ADVANCE_IF_HEAD}), so the lock is held only while the server runs the statement and
 * flushes its commit, never across a round trip: what one replica writing alone does. When another
 * replica moved the head meanwhile, nothing is written; then, while replicas' commits interleave,
 * when a row's id is logged already, and when the batch carries snapshots, the careful way: lock and
 * read the head; insert every row and move the head in one statement (an id logged already is
 * skipped, and the batch written again without it); commit.
 *
 * <p>Durability: the connection commits with {@code synchronous_commit = on}, whatever the server's
 * default, so a commit has returned only once it is on the database's disk (and on its synchronous
 * standbys, if it has any).
 */
final class PostgresBatchWriter implements BatchWriter {

  private static final String LOCK_HEAD = "SELECT hash FROM chain_head WHERE id = 1 FOR UPDATE";

  private static final String UNNEST = " FROM unnest(?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[],"
      + " ?::bytea[], ?::text[], ?::text[], ?::text[], ?::bytea[], ?::bigint[], ?::bytea[], ?::bytea[]) WITH ORDINALITY"
      + " AS batch_(decision_id, logged_at, gate, subject, actor, principal, request, policy_revision,"
      + " workspace_revision, outcome, decision, duration_micros, chain_prev, chain_hash, position)";

  private static final String COLUMN_NAMES = "decision_id, logged_at, gate, subject, actor, principal, request,"
      + " policy_revision, workspace_revision, outcome, decision, duration_micros, chain_prev, chain_hash";

  /**
   * The batch in one statement, run as its own transaction: the head moves from the hash the rows
   * were chained after (the second parameter) to the last row's (the first) and the rows are
   * inserted, or, when the head is another hash by the time the row lock is had (PostgreSQL checks
   * the row's newest version after waiting for it), nothing is. An id logged already fails the
   * statement, and nothing is written either. Returns how many rows were inserted.
   */
  private static final String ADVANCE_IF_HEAD = "WITH advanced AS ("
      + " UPDATE chain_head SET hash = ? WHERE id = 1 AND hash = ? RETURNING 1),"
      + " inserted AS (INSERT INTO decisions (" + COLUMN_NAMES + ") SELECT " + COLUMN_NAMES + UNNEST
      + " WHERE EXISTS (SELECT 1 FROM advanced) ORDER BY position RETURNING 1)"
      + " SELECT count(*) FROM inserted";

  /**
   * Every row of a batch, as one array a column, inserted in array order (so seq follows the chain),
   * and the head moved to the last row's hash: one statement, one round trip. A decision id logged
   * already is skipped, and missing from the ids it returns.
   */
  private static final String INSERT_AND_ADVANCE = "WITH inserted AS ("
      + " INSERT INTO decisions (" + COLUMN_NAMES + ") SELECT " + COLUMN_NAMES + UNNEST + " ORDER BY position"
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
  // The head after this writer's last commit, or as last read; null when unknown (at start, after a
  // failure). Only a guess: the statement that uses it checks it under the lock.
  private byte[] head;
  // Whether the head was last found moved by another replica. While it was, batches go the careful
  // way, which waits for the lock instead of trying and failing; the first that finds the head
  // where this writer left it goes back to one round trip.
  private boolean contended;

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
    try {
      if (!rows.isEmpty() && head != null && !contended
          && rows.stream().allMatch(i -> batch.get(i).snapshots().isEmpty()) && advance(batch, rows)) {
        return Arrays.asList(outcomes);
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
    } catch (SQLException | RuntimeException e) {
      // A commit that failed may have reached the database all the same: read the head again.
      head = null;
      throw e;
    }
  }

  /**
   * The batch in one round trip ({@link #ADVANCE_IF_HEAD}), chained after the head this writer
   * knows.
   *
   * @return whether it is committed; false leaves nothing written, for the careful way
   */
  private boolean advance(List<Entry> batch, List<Integer> rows) throws SQLException {
    try (Connection c = PostgresPool.connect(pool, url)) {
      Columns columns = new Columns(batch, rows, head);
      try (PreparedStatement advance = c.prepareStatement(ADVANCE_IF_HEAD)) {
        advance.setBytes(1, columns.last);
        advance.setBytes(2, head);
        columns.bind(c, advance, 3);
        try (ResultSet rs = advance.executeQuery()) {
          rs.next();
          if (rs.getLong(1) == rows.size()) {
            head = columns.last;
            return true;
          }
        }
      } catch (SQLException e) {
        if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
          return false;
        }
        throw e;
      }
      // Another replica moved the head: its writer and this one are taking turns.
      contended = true;
      return false;
    }
  }

  /** PostgreSQL's SQLSTATE for a duplicate key: an id of the batch is logged already. */
  private static final String UNIQUE_VIOLATION = "23505";

  /** The rows of a batch chained after {@code after}, as one array a column, typed as the driver encodes them. */
  private final class Columns {
    private final Object[][] values = new Object[TYPES.length][];
    private byte[] last;

    Columns(List<Entry> batch, List<Integer> rows, byte[] after) {
      for (int col = 0; col < TYPES.length; col++) {
        values[col] = switch (TYPES[col]) {
          case "bytea" -> new byte[rows.size()][];
          case "int8" -> new Long[rows.size()];
          default -> new String[rows.size()];
        };
      }
      last = after;
      for (int r = 0; r < rows.size(); r++) {
        EncodedDecision d = EncodedDecision.of(batch.get(rows.get(r)).decision());
        byte[] hash = chain.hash(last, d);
        Object[] row = Rows.values(d, zstd);
        for (int col = 0; col < row.length; col++) {
          values[col][r] = row[col];
        }
        values[12][r] = last;
        values[13][r] = hash;
        last = hash;
      }
    }

    /** Binds the arrays to parameters {@code from} on. */
    void bind(Connection c, PreparedStatement ps, int from) throws SQLException {
      for (int col = 0; col < TYPES.length; col++) {
        ps.setArray(from + col, c.createArrayOf(TYPES[col], values[col]));
      }
    }
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
        contended = head != null && !Arrays.equals(head, last);
        writeSnapshots(c, batch, rows);
        Columns columns = new Columns(batch, rows, last);
        Set<String> inserted = new HashSet<>();
        try (PreparedStatement insert = c.prepareStatement(INSERT_AND_ADVANCE)) {
          columns.bind(c, insert, 1);
          insert.setBytes(TYPES.length + 1, columns.last);
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
        head = columns.last;
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
