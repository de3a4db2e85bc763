package dev.gatehouse.server.log;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteConfig;

/** Opens connections to {@code decisions.db} with the settings the log's guarantees rest on. */
record SqliteFile(Path path) {

  /** How long a connection waits for another's lock (a checkpoint, a second process) before failing. */
  private static final int BUSY_TIMEOUT_MILLIS = 5_000;

  /** 400 MB of WAL: far beyond where the checkpointer has the WAL start over (16 MB). */
  private static final int BACKSTOP_CHECKPOINT_PAGES = 100_000;

  /** What the WAL file is cut back to when it starts over after a burst. */
  private static final long WAL_SIZE_LIMIT_BYTES = 32L << 20;

  /**
   * The one connection that writes, in WAL mode with {@code sync} as SQLite's {@code synchronous}.
   * {@link WalCheckpointer} does the bulk of the checkpoints on a connection of its own, so that
   * their copying and disk flushes do not hold up group commits; this connection only finishes a
   * round. SQLite's own checkpoint stays as a backstop should the checkpointer stop, and the WAL
   * file is cut back when it starts over.
   */
  Connection openWriter(LogSync sync) throws SQLException {
    return open(st -> {
      try (ResultSet rs = st.executeQuery("PRAGMA journal_mode = WAL")) {
        String mode = rs.next() ? rs.getString(1) : "none";
        if (!"wal".equalsIgnoreCase(mode)) {
          throw new SQLException("decision log could not switch to WAL mode (got '" + mode + "')");
        }
      }
      st.execute("PRAGMA synchronous = " + sync.name());
      st.execute("PRAGMA wal_autocheckpoint = " + BACKSTOP_CHECKPOINT_PAGES);
      st.execute("PRAGMA journal_size_limit = " + WAL_SIZE_LIMIT_BYTES);
    });
  }

  /**
   * A connection for checkpoints. Its {@code synchronous} is the writer's: a checkpoint flushes the
   * WAL and then the database file to the disk before the WAL may be reused.
   */
  Connection openCheckpointer(LogSync sync) throws SQLException {
    return open(st -> st.execute("PRAGMA synchronous = " + sync.name()));
  }

  /** A connection for reads; in WAL mode readers see the last commit and never block the writer. */
  Connection openReader() throws SQLException {
    return open(st -> st.execute("PRAGMA query_only = ON"));
  }

  /**
   * A connection SQLite opens read-only: it cannot migrate, checkpoint or otherwise change the
   * database file, nor create it when missing, so reading a log never alters it, even one an older
   * server still writes. In WAL mode SQLite still creates the {@code -shm} and {@code -wal} files
   * beside it when they are missing, so the directory must then be writable.
   */
  Connection openReadOnly() throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    return open(config, st -> {});
  }

  private interface Setup {
    void apply(Statement st) throws SQLException;
  }

  /** A connection that waits for locks, set up by {@code setup}; closed again when that fails. */
  private Connection open(Setup setup) throws SQLException {
    return open(new SQLiteConfig(), setup);
  }

  private Connection open(SQLiteConfig config, Setup setup) throws SQLException {
    // With generated keys on (sqlite-jdbc's default), every INSERT also matches a regex, prepares
    // and runs "SELECT last_insert_rowid()": a second statement per logged decision, for keys the
    // log never asks for.
    config.setGetGeneratedKeys(false);
    Connection c = config.createConnection("jdbc:sqlite:" + path);
    try (Statement st = c.createStatement()) {
      st.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT_MILLIS);
      setup.apply(st);
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    return c;
  }
}
