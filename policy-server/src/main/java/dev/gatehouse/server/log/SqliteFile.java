package dev.gatehouse.server.log;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Opens connections to {@code decisions.db} with the settings the log's guarantees rest on. */
record SqliteFile(Path path) {

  /** How long a connection waits for another's lock (a checkpoint, a second process) before failing. */
  private static final int BUSY_TIMEOUT_MILLIS = 5_000;

  /**
   * The one connection that writes. WAL with {@code synchronous=FULL} fsyncs the WAL on every
   * commit, so a committed transaction survives a killed process and a lost machine alike.
   */
  Connection openWriter() throws SQLException {
    Connection c = DriverManager.getConnection("jdbc:sqlite:" + path);
    try (Statement st = c.createStatement()) {
      st.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT_MILLIS);
      try (ResultSet rs = st.executeQuery("PRAGMA journal_mode = WAL")) {
        String mode = rs.next() ? rs.getString(1) : "none";
        if (!"wal".equalsIgnoreCase(mode)) {
          throw new SQLException("decision log could not switch to WAL mode (got '" + mode + "')");
        }
      }
      st.execute("PRAGMA synchronous = FULL");
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    return c;
  }

  /** A connection for reads; in WAL mode readers see the last commit and never block the writer. */
  Connection openReader() throws SQLException {
    Connection c = DriverManager.getConnection("jdbc:sqlite:" + path);
    try (Statement st = c.createStatement()) {
      st.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT_MILLIS);
      st.execute("PRAGMA query_only = ON");
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    return c;
  }
}
