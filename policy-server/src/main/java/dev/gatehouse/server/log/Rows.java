package dev.gatehouse.server.log;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdException;
import dev.gatehouse.model.Outcome;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;

/** The mapping between {@link LoggedDecision} and a row of the {@code decisions} table. */
final class Rows {

  static final String COLUMNS =
      "seq, decision_id, logged_at, gate, subject, actor, principal, request, policy_revision,"
          + " workspace_revision, outcome, decision, duration_micros";

  static final String INSERT =
      "INSERT INTO decisions (decision_id, logged_at, gate, subject, actor, principal, request,"
          + " policy_revision, workspace_revision, outcome, decision, duration_micros, chain_prev, chain_hash)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  /**
   * The most a request or decision column is read back as: SQLite's limit on one value, which
   * bounded version 1's text columns, and far beyond a request under any sane body limit (1 MB by
   * default).
   */
  private static final long MAX_COLUMN_BYTES = 1_000_000_000L;

  private Rows() {}

  /**
   * A decision with its position in the log.
   *
   * @param seq the log sequence number: assigned at commit, increasing, never reused
   * @param decision the decision
   * @param previous the previous decision's hash in the chain, in hex, when read
   * @param hash its own hash in the chain, in hex, when read
   */
  record Row(long seq, LoggedDecision decision, String previous, String hash) {

    Row(long seq, LoggedDecision decision) {
      this(seq, decision, null, null);
    }
  }

  /**
   * Binds a decision to {@link #INSERT}, the request and the decision compressed with {@code zstd}:
   * about half the bytes, so rows share pages instead of each taking most of one; chained after
   * {@code previous} with its hash {@code hash} ({@link Chain}).
   */
  static void bind(PreparedStatement insert, EncodedDecision d, ZstdCompressCtx zstd, byte[] previous, byte[] hash)
      throws SQLException {
    Object[] values = values(d, zstd);
    for (int i = 0; i < values.length; i++) {
      if (values[i] == null) {
        insert.setNull(i + 1, Types.VARCHAR);
      } else {
        insert.setObject(i + 1, values[i]);
      }
    }
    insert.setBytes(13, previous);
    insert.setBytes(14, hash);
  }

  /** The columns of {@link #INSERT} but the chain's, in its order: String, Long, byte[] or null. */
  static Object[] values(EncodedDecision encoded, ZstdCompressCtx zstd) {
    LoggedDecision d = encoded.decision();
    return new Object[] {
      d.decisionId(),
      epochNanos(d.loggedAt()),
      d.gate(),
      d.subject(),
      d.actor(),
      d.principal(),
      zstd.compress(encoded.request()),
      d.policyRevision(),
      d.workspaceRevision(),
      d.outcome().name(),
      zstd.compress(encoded.decisionJson()),
      d.durationMicros()
    };
  }

  /** Reads the row at the cursor of a result set selecting {@link #COLUMNS}. */
  static Row read(ResultSet rs) throws SQLException {
    long seq = rs.getLong(1);
    return new Row(
        seq,
        new LoggedDecision(
            rs.getString(2),
            instant(rs.getLong(3)),
            rs.getString(4),
            rs.getString(5),
            rs.getString(6),
            rs.getString(7),
            text(rs.getObject(8), seq, "request"),
            rs.getString(9),
            rs.getString(10),
            Outcome.valueOf(rs.getString(11)),
            text(rs.getObject(12), seq, "decision"),
            rs.getLong(13)));
  }

  /**
   * A request or decision column: zstd-compressed UTF-8 as written now, or the text of a version 1
   * row.
   *
   * @throws SQLException naming the row and the column when it holds neither
   */
  private static String text(Object column, long seq, String name) throws SQLException {
    if (column instanceof String version1) {
      return version1;
    }
    if (column instanceof byte[] compressed) {
      long size = Zstd.getFrameContentSize(compressed);
      if (size < 0) {
        throw bad(seq, name, "not a zstd frame of known size", null);
      }
      if (size > MAX_COLUMN_BYTES) {
        // Read before anything is allocated: a corrupt header must not cost gigabytes.
        throw bad(seq, name, "zstd frame claims " + size + " bytes, more than any decision the log takes", null);
      }
      try {
        return new String(Zstd.decompress(compressed, (int) size), StandardCharsets.UTF_8);
      } catch (ZstdException e) {
        throw bad(seq, name, "corrupt zstd frame (" + e.getMessage() + ")", e);
      }
    }
    throw bad(seq, name, (column == null ? "null" : column.getClass().getSimpleName())
        + " where a request or decision belongs", null);
  }

  private static SQLException bad(long seq, String column, String problem, Throwable cause) {
    return new SQLException("decision log row " + seq + ", column " + column + ": " + problem, cause);
  }

  /** Epoch nanoseconds: exact for every Instant a clock gives, and ordered as an INTEGER column. */
  static long epochNanos(Instant t) {
    try {
      return Math.addExact(Math.multiplyExact(t.getEpochSecond(), NANOS_PER_SECOND), t.getNano());
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("time " + t + " is outside the range the log can store");
    }
  }

  static Instant instant(long epochNanos) {
    return Instant.ofEpochSecond(
        Math.floorDiv(epochNanos, NANOS_PER_SECOND), Math.floorMod(epochNanos, NANOS_PER_SECOND));
  }
}
