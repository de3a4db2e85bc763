package dev.gatehouse.server.log;

import dev.gatehouse.server.files.FileErrors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * The decision log in {@code <dataDir>/decisions.db}, an SQLite file in WAL mode, synchronous as
 * {@link LogOptions#sync()} says.
 *
 * <p>Writes go through one writer thread that commits whatever is queued as one transaction (group
 * commit). {@link #append} never blocks: a full queue fails the append with {@code log-overloaded}
 * at once. Checkpoints run on a thread of their own every {@value #CHECKPOINT_INTERVAL_MILLIS} ms
 * (see {@link WalCheckpointer}). Reads use connections of their own.
 *
 * <p>Retention: when {@link LogOptions} sets a maximum age or a maximum row count, the writer
 * thread sweeps the log every {@code retentionInterval} and on {@link #enforceRetention()}. A sweep
 * deletes the decisions logged before now minus the maximum age, then the oldest beyond the
 * maximum count, at most 500 rows per transaction, with group commits in between: a sweep of a
 * large backlog never holds decisions back for longer than one small delete.
 *
 * <p>The schema is migrated on open; a file from a newer version is refused.
 */
public final class SqliteDecisionLog extends GroupCommitDecisionLog {

  /** How often the WAL is copied into the database; with {@link LogSync#NORMAL}, also flushed to disk. */
  static final long CHECKPOINT_INTERVAL_MILLIS = 100;

  private final WalCheckpointer checkpointer;

  private SqliteDecisionLog(GroupCommitWriter writer, WalCheckpointer checkpointer, DecisionReads reads) {
    super(writer, reads);
    this.checkpointer = checkpointer;
  }

  /**
   * Opens (creating when missing) the log and migrates its schema.
   *
   * @throws LogUnavailableException coded {@code log-unavailable} when the directory or the file
   *     cannot be created or opened
   * @throws IllegalStateException when the file has a newer schema than this server knows
   */
  public static SqliteDecisionLog open(LogOptions options) {
    return open(options, 0);
  }

  /**
   * Opens the log with the file capped at {@code maxPages} pages (0: no cap), so that tests can
   * fill it: SQLite then fails the writer's inserts exactly as on a full disk.
   */
  static SqliteDecisionLog open(LogOptions options, long maxPages) {
    SqliteFile file = new SqliteFile(options.databaseFile());
    try {
      Files.createDirectories(options.dataDir());
    } catch (IOException e) {
      throw LogUnavailableException.unavailable(
          "cannot create decision log directory: " + FileErrors.describe(e), e);
    }
    Connection connection = null;
    Connection checkpoints = null;
    try {
      connection = file.openWriter(options.sync());
      Schema.migrate(connection);
      if (maxPages > 0) {
        try (Statement st = connection.createStatement()) {
          st.execute("PRAGMA max_page_count = " + maxPages);
        }
      }
      checkpoints = file.openCheckpointer(options.sync());
      GroupCommitWriter writer = new GroupCommitWriter(new SqliteBatchWriter(connection), options);
      WalCheckpointer checkpointer = new WalCheckpointer(
          checkpoints, Duration.ofMillis(CHECKPOINT_INTERVAL_MILLIS), writer::requestCheckpoint);
      return new SqliteDecisionLog(writer, checkpointer, new DecisionReads(file::openReader, DecisionReads.MAX_IDLE_CONNECTIONS));
    } catch (SQLException | RuntimeException e) {
      for (Connection c : new Connection[] {connection, checkpoints}) {
        if (c != null) {
          try {
            c.close();
          } catch (SQLException suppressed) {
            e.addSuppressed(suppressed);
          }
        }
      }
      if (e instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw LogUnavailableException.unavailable(
          "cannot open decision log " + file.path() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Opens the log in {@code databaseFile} for reading only: no writer, no checkpoints, no
   * migration, and the database file is never changed (SQLite opens it read-only; see {@link
   * SqliteFile#openReadOnly}). For reading a log that a server may be writing, or one an older
   * server wrote and still needs.
   *
   * @throws LogUnavailableException when the file is missing or cannot be opened
   * @throws IllegalStateException when it holds no decision log or one of a newer version
   */
  public static DecisionReader openReadOnly(Path databaseFile) {
    return DecisionReads.readOnly(new SqliteFile(databaseFile));
  }

  @Override
  public void close() {
    checkpointer.close();
    super.close();
  }
}
