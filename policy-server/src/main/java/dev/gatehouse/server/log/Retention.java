package dev.gatehouse.server.log;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Retention as a sweep taken in small steps: each {@link #step} deletes at most {@link
 * #DELETE_BATCH} rows in its own transaction, first those older than the maximum age, then the
 * oldest beyond the maximum row count.
 *
 * <p>Snapshots are never deleted: a kept decision may name any of them, telling which none does
 * would scan the whole table under the write lock, and they are one row per revision, not per
 * decision.
 *
 * <p>Each step deletes by a bound fixed when its phase began (a time, a sequence number), never by
 * a count of rows to go: on PostgreSQL every replica sweeps the one shared log, and two sweeps at
 * once then delete the same rows, not twice as many.
 *
 * <p>Used by the writer thread only, which interleaves steps with group commits.
 */
final class Retention {

  /** The most rows one step deletes; a step holds the write lock about as long as a group commit. */
  static final int DELETE_BATCH = 500;

  private enum Phase { IDLE, AGE, COUNT }

  private final Duration maxAge;
  private final Long maxRows;
  private final List<CompletableFuture<Long>> waiting = new ArrayList<>();
  private Phase phase = Phase.IDLE;
  private long cutoffNanos;
  // The newest seq the count phase deletes, fixed when the phase begins: -1 for none, null before.
  private Long boundary;
  private long deleted;

  Retention(Duration maxAge, Long maxRows) {
    this.maxAge = maxAge;
    this.maxRows = maxRows;
  }

  boolean configured() {
    return maxAge != null || maxRows != null;
  }

  boolean active() {
    return phase != Phase.IDLE;
  }

  /** Starts a sweep unless one is running; {@code waiter}, if any, gets that sweep's deleted count. */
  void start(CompletableFuture<Long> waiter) {
    if (waiter != null) {
      waiting.add(waiter);
    }
    if (phase == Phase.IDLE) {
      deleted = 0;
      boundary = null;
      if (maxAge != null) {
        cutoffNanos = Rows.epochNanos(Instant.now().minus(maxAge));
        phase = Phase.AGE;
      } else {
        phase = Phase.COUNT;
      }
    }
  }

  /** Deletes one batch; ends the sweep and answers its waiters when nothing is left to delete. */
  void step(Connection c) throws SQLException {
    if (phase == Phase.AGE) {
      int n = delete(c, "SELECT seq FROM decisions WHERE logged_at < ? LIMIT ?", cutoffNanos, DELETE_BATCH);
      deleted += n;
      if (n == DELETE_BATCH) {
        return;
      }
      phase = maxRows == null ? Phase.IDLE : Phase.COUNT;
    }
    if (phase == Phase.COUNT) {
      if (boundary == null) {
        // Fixed once per sweep: rows logged during the sweep wait for the next one.
        boundary = boundary(c);
      }
      int n = boundary < 0 ? 0
          : delete(c, "SELECT seq FROM decisions WHERE seq <= ? ORDER BY seq LIMIT ?", boundary, DELETE_BATCH);
      deleted += n;
      if (n == DELETE_BATCH) {
        return;
      }
    }
    phase = Phase.IDLE;
    waiting.forEach(w -> w.complete(deleted));
    waiting.clear();
  }

  /** Ends the sweep without finishing it; its waiters fail with {@code failure}. */
  void abort(RuntimeException failure) {
    phase = Phase.IDLE;
    waiting.forEach(w -> w.completeExceptionally(failure));
    waiting.clear();
  }

  private static int delete(Connection c, String selectSeqs, long... params) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM decisions WHERE seq IN (" + selectSeqs + ")")) {
      for (int i = 0; i < params.length; i++) {
        ps.setLong(i + 1, params[i]);
      }
      return ps.executeUpdate();
    }
  }

  /** The seq of the newest decision beyond the newest {@code maxRows}, or -1 when there is none. */
  private long boundary(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT seq FROM decisions ORDER BY seq DESC LIMIT 1 OFFSET ?")) {
      ps.setLong(1, maxRows);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : -1;
      }
    }
  }
}
