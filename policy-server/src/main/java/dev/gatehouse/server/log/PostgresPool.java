package dev.gatehouse.server.log;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.TimeUnit;

/**
 * The connections of a PostgreSQL log: a HikariCP pool, so that a database that went away and came
 * back is reconnected to without a restart (a broken connection is dropped from the pool, the next
 * one is opened afresh).
 *
 * <p>Why JDBC and a pool rather than the Vert.x PostgreSQL client: the log's writer is one thread
 * doing blocking group commits, its reads run off the event loop already, and the command-line
 * tools (replay, verify, export, import) are synchronous; on JDBC both stores share the writer, the
 * reads, the chain, retention and import, so one contract holds them both to the same behaviour.
 */
final class PostgresPool {

  /**
   * How long a writer or reader waits for a connection before the log counts as unavailable: a
   * decision then gets 503 {@code log-unavailable} within about this long, rather than waiting for
   * the database to come back.
   */
  static final long CONNECTION_TIMEOUT_MILLIS = 2_000;

  /**
   * Set on every connection: commits wait for the disk ({@code synchronous_commit} could be off on
   * the server or for the role), a lock is not waited for endlessly, and a session a frozen replica
   * left in a transaction (holding the chain's head) is ended by the server.
   */
  private static final String SESSION_SETUP = "SET synchronous_commit = on; SET lock_timeout = '10s';"
      + " SET idle_in_transaction_session_timeout = '60s'";

  private PostgresPool() {}

  static HikariDataSource open(PostgresUrl url, String name, int size) {
    HikariConfig config = new HikariConfig();
    config.setPoolName(name);
    config.setJdbcUrl(url.jdbcUrl());
    config.setDataSourceProperties(url.driverProperties());
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(Math.min(2, size));
    config.setConnectionTimeout(CONNECTION_TIMEOUT_MILLIS);
    config.setValidationTimeout(1_000);
    config.setKeepaliveTime(TimeUnit.SECONDS.toMillis(30));
    config.setConnectionInitSql(SESSION_SETUP);
    return new HikariDataSource(config);
  }

  /**
   * A connection from {@code pool}; when none can be had, an exception that says why in the
   * database's words (the pool's own message only says that it timed out).
   */
  static Connection connect(HikariDataSource pool, PostgresUrl url) throws SQLException {
    try {
      return pool.getConnection();
    } catch (SQLTransientConnectionException e) {
      Throwable cause = e.getCause();
      throw new SQLException("cannot reach PostgreSQL at " + url
          + (cause != null && cause.getMessage() != null ? ": " + cause.getMessage() : ": " + e.getMessage()), e);
    }
  }
}
