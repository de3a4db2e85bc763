package dev.gatehouse.server.log;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The decision log in a PostgreSQL database that several replicas share: every replica writes
 * through its own group-commit writer ({@link PostgresBatchWriter}, one hash chain for all of
 * them) and reads every replica's decisions, so a decision made on one is readable, replayable and
 * verifiable from every other, and a cursor handed out by one pages on any.
 *
 * <p>Connections come from a pool ({@link PostgresPool}): when the database goes away, writes and
 * reads fail with {@code log-unavailable} within about {@value PostgresPool#CONNECTION_TIMEOUT_MILLIS}
 * ms, the writer probes every second, and once the database answers again the pool reconnects and
 * the log is ready, without a restart.
 *
 * <p>The schema is migrated on open ({@link PostgresSchema}); a database of a newer version is refused.
 */
public final class PostgresDecisionLog extends GroupCommitDecisionLog {

  /**
   * Connections: the writer's, and the rest for reads, which run on the server's worker threads
   * (two per core) and the command-line tools.
   */
  static final int POOL_SIZE = 10;

  private final HikariDataSource pool;

  private PostgresDecisionLog(HikariDataSource pool, GroupCommitWriter writer, DecisionReads reads) {
    super(writer, reads);
    this.pool = pool;
  }

  /**
   * Connects to the database of {@code options} and migrates its schema.
   *
   * @throws LogUnavailableException coded {@code log-unavailable} when the database cannot be
   *     reached or migrated
   * @throws IllegalStateException when it has a newer schema than this server knows
   */
  public static PostgresDecisionLog open(LogOptions options) {
    PostgresUrl url = options.postgres();
    migrate(url);
    HikariDataSource pool = PostgresPool.open(url, "gatehouse-log", POOL_SIZE);
    try {
      GroupCommitWriter writer = new GroupCommitWriter(new PostgresBatchWriter(pool, url), options);
      return new PostgresDecisionLog(pool, writer, new DecisionReads(() -> PostgresPool.connect(pool, url), 0));
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  /**
   * The log in {@code url} for reading only: no writer, no migration, nothing written; for the
   * command-line tools, beside running servers.
   *
   * @throws LogUnavailableException when the database cannot be reached
   * @throws IllegalStateException when it holds no decision log or one of a newer version
   */
  public static DecisionReader openReader(PostgresUrl url) {
    try (Connection c = url.connect()) {
      PostgresSchema.requireReadable(c);
    } catch (SQLException e) {
      throw LogUnavailableException.unavailable("cannot open decision log " + url + ": " + e.getMessage(), e);
    }
    HikariDataSource pool = PostgresPool.open(url, "gatehouse-log-reader", 4);
    return new DecisionReads(new DecisionReads.Connections() {
      @Override
      public Connection open() throws SQLException {
        return PostgresPool.connect(pool, url);
      }

      @Override
      public void close() {
        pool.close();
      }
    }, 0);
  }

  /** Brings the schema of the database at {@code url} to the newest version. */
  static void migrate(PostgresUrl url) {
    try (Connection c = url.connect()) {
      PostgresSchema.migrate(c);
    } catch (SQLException e) {
      throw LogUnavailableException.unavailable("cannot open decision log " + url + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    super.close();
    pool.close();
  }
}
