package dev.gatehouse.server.log;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

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
public final class PostgresDecisionLog implements DecisionLog {

  /**
   * Connections: the writer's, and the rest for reads, which run on the server's worker threads
   * (two per core) and the command-line tools.
   */
  static final int POOL_SIZE = 10;

  private final HikariDataSource pool;
  private final GroupCommitWriter writer;
  private final DecisionReads reads;

  private PostgresDecisionLog(HikariDataSource pool, GroupCommitWriter writer, DecisionReads reads) {
    this.pool = pool;
    this.writer = writer;
    this.reads = reads;
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
  public CompletableFuture<Void> append(LoggedDecision decision, Executor completion) {
    return writer.append(decision, List.of(), completion);
  }

  @Override
  public CompletableFuture<Void> append(LoggedDecision decision, List<Snapshot> snapshots, Executor completion) {
    return writer.append(decision, snapshots, completion);
  }

  @Override
  public Optional<LoggedDecision> find(String decisionId) {
    return reads.find(decisionId);
  }

  @Override
  public Optional<Snapshot> snapshot(String revision) {
    return reads.snapshot(revision);
  }

  @Override
  public Page list(Query query) {
    return reads.list(query);
  }

  @Override
  public Verification verify() {
    return reads.verify();
  }

  @Override
  public void forEach(ReplayQuery query, Consumer<LoggedDecision> consumer) {
    reads.forEach(query, consumer);
  }

  @Override
  public void forEachChained(ReplayQuery query, Consumer<ChainedDecision> consumer) {
    reads.forEachChained(query, consumer);
  }

  @Override
  public long count(ReplayQuery query) {
    return reads.count(query);
  }

  @Override
  public long enforceRetention() {
    return writer.enforceRetention();
  }

  @Override
  public LogHealth health() {
    return writer.health();
  }

  @Override
  public LogCommits commits() {
    return writer.commits();
  }

  @Override
  public void close() {
    writer.close();
    reads.close();
    pool.close();
  }
}
