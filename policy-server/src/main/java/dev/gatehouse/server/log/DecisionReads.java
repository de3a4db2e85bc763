package dev.gatehouse.server.log;

import dev.gatehouse.server.log.Rows.Row;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Consumer;

/**
 * The read side of the log, on connections of its own so that readers never wait for the writer
 * nor it for them.
 */
final class DecisionReads implements DecisionReader {

  /** Rows per statement when replaying; each chunk is its own short read transaction. */
  static final int REPLAY_CHUNK = 500;

  /** Connections kept open between reads of an SQLite file: opening one costs its setup statements. */
  static final int MAX_IDLE_CONNECTIONS = 4;

  /** Opens a connection to read with. */
  interface Connections {
    Connection open() throws SQLException;

    /** Releases what the connections come from (a pool), once the reads are closed. */
    default void close() {}
  }

  private final Connections connections;
  private final int maxIdle;
  private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
  private volatile boolean closed;
  // False for a file read as it is from before snapshots were kept, or before the chain.
  private boolean hasSnapshots = true;
  private boolean hasChain = true;

  /**
   * Reads through connections from {@code connections}, keeping up to {@code maxIdle} of them open
   * between reads (0 where {@code connections} is a pool, to which closing one returns it).
   */
  DecisionReads(Connections connections, int maxIdle) {
    this.connections = connections;
    this.maxIdle = maxIdle;
  }

  /**
   * Reads through read-only connections, after checking that the file holds a log this code reads
   * as it is (see {@link Schema#requireReadable}).
   *
   * @throws LogUnavailableException when the file cannot be opened
   * @throws IllegalStateException when it holds no decision log or one of a newer version
   */
  static DecisionReads readOnly(SqliteFile file) {
    DecisionReads reads = new DecisionReads(file::openReadOnly, MAX_IDLE_CONNECTIONS);
    try {
      reads.withConnection(c -> {
        try (Statement st = c.createStatement()) {
          int version = Schema.requireReadable(st);
          reads.hasSnapshots = version >= Schema.SNAPSHOTS;
          reads.hasChain = version >= Schema.CHAIN;
          return null;
        }
      });
      return reads;
    } catch (RuntimeException e) {
      reads.close();
      throw e;
    }
  }

  @Override
  public Optional<LoggedDecision> find(String decisionId) {
    List<Row> rows = select(new Where().equal("decision_id", decisionId), "", 1);
    return rows.stream().findFirst().map(Row::decision);
  }

  @Override
  public Optional<Snapshot> snapshot(String revision) {
    if (!hasSnapshots) {
      return Optional.empty();
    }
    return withConnection(c -> {
      try (PreparedStatement ps = c.prepareStatement(SnapshotRows.SELECT)) {
        ps.setString(1, revision);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(SnapshotRows.read(revision, rs.getString(1), rs.getBytes(2))) : Optional.empty();
        }
      }
    });
  }

  @Override
  public Verification verify() {
    ChainCheck check = new ChainCheck();
    if (!hasChain) {
      forEach(ReplayQuery.all(), d -> check.unchained());
      return check.result();
    }
    String sql = "SELECT " + Rows.COLUMNS + ", chain_prev, chain_hash FROM decisions WHERE seq > ? ORDER BY seq LIMIT "
        + REPLAY_CHUNK;
    long after = 0;
    while (true) {
      long from = after;
      // One short read transaction per chunk, as for replays, so the check never pins the WAL.
      after = withConnection(c -> {
        long last = from;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
          ps.setLong(1, from);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              last = rs.getLong(1);
              check.row(rs);
            }
          }
        }
        return last;
      });
      if (after == from) {
        return check.result();
      }
    }
  }

  /** The walk along the chain, oldest first: each row against its own hash and its predecessor's. */
  private static final class ChainCheck {
    private final Chain chain = new Chain();
    private final List<Verification.Break> breaks = new ArrayList<>();
    private long checked;
    private long unchained;
    // The stored hash of the row before, or null before the first chained row: the oldest kept
    // row's predecessor may be gone to retention, so its own link is taken as it is.
    private byte[] previous;
    private String previousId;

    void unchained() {
      checked++;
      unchained++;
    }

    void row(ResultSet rs) throws SQLException {
      long seq = rs.getLong(1);
      String id = rs.getString(2);
      byte[] prev = rs.getBytes(14);
      byte[] hash = rs.getBytes(15);
      if (hash == null && previous == null && breaks.isEmpty()) {
        unchained();
        return;
      }
      checked++;
      if (hash == null || prev == null) {
        breaks.add(new Verification.Break(id, seq, "edited", "decision " + id + " carries no hash"));
      } else {
        try {
          if (!Arrays.equals(chain.hash(prev, EncodedDecision.of(Rows.read(rs).decision())), hash)) {
            breaks.add(new Verification.Break(id, seq, "edited",
                "decision " + id + " does not match its hash: it was changed after it was logged"));
          }
        } catch (SQLException e) {
          breaks.add(new Verification.Break(id, seq, "unreadable", "decision " + id + " does not read: " + e.getMessage()));
        }
        if (previous != null && !Arrays.equals(previous, prev)) {
          breaks.add(new Verification.Break(id, seq, "gap", "decision " + id + " was not chained after "
              + previousId + ": a decision between them was deleted, " + previousId
              + " was changed and hashed again, or decisions were moved"));
        }
      }
      previous = hash;
      previousId = id;
    }

    Verification result() {
      return new Verification(checked, unchained, previous == null ? null : HexFormat.of().formatHex(previous), breaks);
    }
  }

  @Override
  public Page list(Query q) {
    Where where =
        new Where()
            .equal("gate", q.gate())
            .equal("subject", q.subject())
            .equal("outcome", q.outcome() == null ? null : q.outcome().name())
            .compare("logged_at >= ?", q.from() == null ? null : Rows.epochNanos(q.from()))
            .compare("logged_at < ?", q.to() == null ? null : Rows.epochNanos(q.to()))
            .compare("seq < ?", q.cursor() == null ? null : Cursor.decode(q.cursor()));
    // One row more than the page tells whether an older page exists without a count.
    List<Row> rows = select(where, " ORDER BY seq DESC", q.limit() + 1);
    boolean more = rows.size() > q.limit();
    List<Row> page = more ? rows.subList(0, q.limit()) : rows;
    String next = more ? Cursor.encode(page.get(page.size() - 1).seq()) : null;
    return new Page(page.stream().map(Row::decision).toList(), next);
  }

  @Override
  public void forEach(ReplayQuery q, Consumer<LoggedDecision> consumer) {
    chunks(q, Rows.COLUMNS, Rows::read, row -> consumer.accept(row.decision()));
  }

  @Override
  public void forEachChained(ReplayQuery q, Consumer<ChainedDecision> consumer) {
    if (!hasChain) {
      forEach(q, d -> consumer.accept(new ChainedDecision(d, null, null)));
      return;
    }
    HexFormat hex = HexFormat.of();
    chunks(q, Rows.COLUMNS + ", chain_prev, chain_hash", rs -> {
      Row row = Rows.read(rs);
      byte[] prev = rs.getBytes(14);
      byte[] hash = rs.getBytes(15);
      return new Row(row.seq(), row.decision(), prev == null ? null : hex.formatHex(prev), hash == null ? null : hex.formatHex(hash));
    }, row -> consumer.accept(new ChainedDecision(row.decision(), row.previous(), row.hash())));
  }

  private interface RowReader {
    Row read(ResultSet rs) throws SQLException;
  }

  /** Hands the matching rows to {@code consumer} oldest first, {@value #REPLAY_CHUNK} per read. */
  private void chunks(ReplayQuery q, String columns, RowReader reader, Consumer<Row> consumer) {
    long after = 0;
    while (true) {
      List<Row> chunk = select(columns, replayWhere(q).compare("seq > ?", after), " ORDER BY seq", REPLAY_CHUNK, reader);
      // The chunk's statement and read transaction are closed before the consumer runs, so a slow
      // consumer never pins a WAL snapshot and keeps the writer's checkpoints from finishing.
      chunk.forEach(consumer);
      if (chunk.size() < REPLAY_CHUNK) {
        return;
      }
      after = chunk.get(chunk.size() - 1).seq();
    }
  }

  @Override
  public long count(ReplayQuery q) {
    Where where = replayWhere(q);
    return withConnection(
        c -> {
          try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM decisions" + where.sql())) {
            where.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return rs.getLong(1);
            }
          }
        });
  }

  @Override
  public void close() {
    closed = true;
    for (Connection c = idle.poll(); c != null; c = idle.poll()) {
      closeQuietly(c);
    }
    connections.close();
  }

  private static Where replayWhere(ReplayQuery q) {
    return new Where()
        .equal("gate", q.gate())
        .compare("logged_at >= ?", q.since() == null ? null : Rows.epochNanos(q.since()));
  }

  private List<Row> select(Where where, String order, int limit) {
    return select(Rows.COLUMNS, where, order, limit, Rows::read);
  }

  private List<Row> select(String columns, Where where, String order, int limit, RowReader reader) {
    String sql = "SELECT " + columns + " FROM decisions" + where.sql() + order + " LIMIT " + limit;
    return withConnection(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            where.bind(ps);
            List<Row> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                rows.add(reader.read(rs));
              }
            }
            return rows;
          }
        });
  }

  private interface SqlWork<T> {
    T run(Connection c) throws SQLException;
  }

  private <T> T withConnection(SqlWork<T> work) {
    if (closed) {
      throw LogUnavailableException.unavailable("decision log is closed", null);
    }
    Connection c = idle.poll();
    boolean reusable = false;
    try {
      if (c == null) {
        c = connections.open();
      }
      T result = work.run(c);
      reusable = true;
      return result;
    } catch (SQLException e) {
      throw LogUnavailableException.unavailable("cannot read decision log: " + e.getMessage(), e);
    } finally {
      if (reusable) {
        release(c);
      } else if (c != null) {
        // A connection whose work failed may be in any state: drop it rather than pool it.
        closeQuietly(c);
      }
    }
  }

  private void release(Connection c) {
    if (closed || idle.size() >= maxIdle) {
      closeQuietly(c);
    } else {
      idle.push(c);
      // close() may have drained the pool between the check and the push.
      if (closed && idle.remove(c)) {
        closeQuietly(c);
      }
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException e) {
      // Nothing to recover: the connection is being discarded either way.
    }
  }

  /** A conjunction of optional conditions; a null value leaves its condition out. */
  private static final class Where {
    private final List<String> clauses = new ArrayList<>();
    private final List<Object> values = new ArrayList<>();

    Where equal(String column, String value) {
      return compare(column + " = ?", value);
    }

    Where compare(String clause, Object value) {
      if (value != null) {
        clauses.add(clause);
        values.add(value);
      }
      return this;
    }

    String sql() {
      return clauses.isEmpty() ? "" : " WHERE " + String.join(" AND ", clauses);
    }

    void bind(PreparedStatement ps) throws SQLException {
      for (int i = 0; i < values.size(); i++) {
        ps.setObject(i + 1, values.get(i));
      }
    }
  }
}
