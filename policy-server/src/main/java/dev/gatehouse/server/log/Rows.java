package dev.gatehouse.server.log;

import dev.gatehouse.model.Outcome;
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
          + " policy_revision, workspace_revision, outcome, decision, duration_micros)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private Rows() {}

  /**
   * A decision with its position in the log.
   *
   * @param seq the log sequence number: assigned at commit, increasing, never reused
   * @param decision the decision
   */
  record Row(long seq, LoggedDecision decision) {}

  static void bind(PreparedStatement insert, LoggedDecision d) throws SQLException {
    insert.setString(1, d.decisionId());
    insert.setLong(2, epochNanos(d.loggedAt()));
    insert.setString(3, d.gate());
    insert.setString(4, d.subject());
    setNullable(insert, 5, d.actor());
    setNullable(insert, 6, d.principal());
    insert.setString(7, d.requestJson());
    insert.setString(8, d.policyRevision());
    setNullable(insert, 9, d.workspaceRevision());
    insert.setString(10, d.outcome().name());
    insert.setString(11, d.decisionJson());
    insert.setLong(12, d.durationMicros());
  }

  /** Reads the row at the cursor of a result set selecting {@link #COLUMNS}. */
  static Row read(ResultSet rs) throws SQLException {
    return new Row(
        rs.getLong(1),
        new LoggedDecision(
            rs.getString(2),
            instant(rs.getLong(3)),
            rs.getString(4),
            rs.getString(5),
            rs.getString(6),
            rs.getString(7),
            rs.getString(8),
            rs.getString(9),
            rs.getString(10),
            Outcome.valueOf(rs.getString(11)),
            rs.getString(12),
            rs.getLong(13)));
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

  private static void setNullable(PreparedStatement ps, int index, String value) throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.VARCHAR);
    } else {
      ps.setString(index, value);
    }
  }
}
