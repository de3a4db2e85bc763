package dev.gatehouse.server.log;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the WAL into the database file on a thread and a connection of its own.
 *
 * <p>Why not SQLite's automatic checkpoint: it runs inside the commit that crosses the threshold,
 * and its disk flush of megabytes holds up that group commit and every request waiting on it. Here
 * passive checkpoints (which never block the writer) copy almost all of the WAL; then, once the WAL
 * is large, {@code finish} asks the writer to checkpoint the few frames appended meanwhile between
 * two group commits. Only a checkpoint that reached the end of the WAL, with no reader on older
 * frames, lets SQLite start the WAL over, and under steady load only the writer itself can.
 */
final class WalCheckpointer {

  private static final Logger LOG = LoggerFactory.getLogger(WalCheckpointer.class);

  /**
   * The WAL size (16 MB of 4 KB pages) from which the writer is asked to finish a round, so that
   * SQLite starts the WAL over. Below it the WAL starts over by itself whenever a checkpoint
   * catches up between two commits, which it does unless commits never pause.
   */
  private static final int RESTART_AT_FRAMES = 4096;

  /**
   * The WAL size (64 MB) from which the writer's checkpoint waits for readers of older frames:
   * below it a reader may keep the WAL from starting over for a round, but a WAL that grew this far
   * means reads never paused, and only waiting for them lets it start over.
   */
  private static final int WAIT_FOR_READERS_AT_FRAMES = 16_384;

  /** Asks the writer for the checkpoint that ends a round. */
  interface Finish {
    void run(boolean waitForReaders);
  }

  /** A pass that copied fewer frames than this leaves about a millisecond of copying to the writer. */
  private static final int FINISH_BELOW_FRAMES = 128;

  /** Passes before the writer finishes regardless; each copies what was committed during the last. */
  private static final int MAX_PASSES = 3;

  private final Connection connection;
  private final Duration interval;
  private final Finish finish;
  private final Thread thread;
  private volatile boolean closed;
  // Frames copied by the last pass, to tell an idle log; only the checkpointer thread uses it.
  private long lastCopied = -1;

  /**
   * Starts checkpointing every {@code interval}.
   *
   * @param connection a connection of its own, closed by {@link #close()}
   * @param finish asks the writer for a checkpoint between group commits
   */
  WalCheckpointer(Connection connection, Duration interval, Finish finish) {
    this.connection = connection;
    this.interval = interval;
    this.finish = finish;
    this.thread = new Thread(this::run, "decision-log-checkpointer");
    // A daemon: a checkpoint only moves committed pages; the WAL is checkpointed on the next open.
    thread.setDaemon(true);
    thread.start();
  }

  /** Stops after the round under way and closes the connection. */
  void close() {
    closed = true;
    thread.interrupt();
    Threads.joinUninterruptibly(thread);
  }

  private void run() {
    try (connection; Statement st = connection.createStatement()) {
      while (!closed) {
        try {
          Thread.sleep(interval.toMillis());
        } catch (InterruptedException e) {
          // close() interrupts; the loop condition ends the thread.
          continue;
        }
        round(st);
      }
    } catch (SQLException e) {
      // SQLite's own checkpoint, kept as a backstop on the writer, takes over.
      LOG.warn("decision log checkpointer stopped: {}", e.getMessage());
    }
  }

  /**
   * One passive checkpoint; when the WAL has grown large, more until one copies little (each copies
   * what was committed during the one before), then the writer finishes.
   */
  private void round(Statement st) {
    try {
      Pass r = passive(st);
      if (r.frames() == r.copied() && r.copied() == lastCopied) {
        // Nothing committed since the last round.
        return;
      }
      lastCopied = r.copied();
      if (r.frames() < RESTART_AT_FRAMES) {
        return;
      }
      for (int pass = 1; pass < MAX_PASSES; pass++) {
        Pass next = passive(st);
        // Fewer copied than by the pass before: SQLite started the WAL over in between.
        boolean small = next.copied() < r.copied() || next.copied() - r.copied() < FINISH_BELOW_FRAMES;
        r = next;
        if (small) {
          break;
        }
      }
      lastCopied = r.copied();
      finish.run(r.frames() >= WAIT_FOR_READERS_AT_FRAMES);
    } catch (SQLException | RuntimeException e) {
      // Nothing committed is at risk: the pages stay in the WAL until a later checkpoint copies them.
      LOG.warn("decision log checkpoint failed, will retry: {}", e.getMessage());
    }
  }

  /** What a passive checkpoint saw: the frames in the WAL when it started, and how many are copied. */
  private record Pass(long frames, long copied) {}

  private static Pass passive(Statement st) throws SQLException {
    try (ResultSet rs = st.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
      rs.next();
      return new Pass(rs.getLong(2), rs.getLong(3));
    }
  }
}
