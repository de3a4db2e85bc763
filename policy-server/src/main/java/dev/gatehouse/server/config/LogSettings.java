package dev.gatehouse.server.config;

import dev.gatehouse.server.log.LogSync;
import dev.gatehouse.server.log.PostgresUrl;
import java.time.Duration;

/**
 * How the decision log behaves, and where it is.
 *
 * @param enabled whether decisions are logged (off only to measure what logging costs)
 * @param maxAge decisions older than this are deleted; null keeps them
 * @param maxRows only this many of the newest decisions are kept; null keeps all
 * @param queueCapacity decisions waiting for their commit before new ones are refused; null for the default
 * @param sync when a commit counts as written (SQLite)
 * @param postgres the PostgreSQL database of the log ({@code store: postgresql}), which replicas
 *     share with the active policy set; null for the SQLite file in the data directory
 */
public record LogSettings(boolean enabled, Duration maxAge, Long maxRows, Integer queueCapacity, LogSync sync,
    PostgresUrl postgres) {

  /** Logging on, nothing deleted, the default queue, {@link LogSync#NORMAL}, in SQLite. */
  public static final LogSettings DEFAULT = new LogSettings(true, null, null, null, LogSync.NORMAL, null);

  /** Settings of a log in SQLite. */
  public LogSettings(boolean enabled, Duration maxAge, Long maxRows, Integer queueCapacity, LogSync sync) {
    this(enabled, maxAge, maxRows, queueCapacity, sync, null);
  }

  /** Whether the log (and with it the active policy set) is in a PostgreSQL database. */
  public boolean onPostgres() {
    return postgres != null;
  }

  /** The same settings with the log in the PostgreSQL database {@code url}. */
  public LogSettings withPostgres(PostgresUrl url) {
    return new LogSettings(enabled, maxAge, maxRows, queueCapacity, sync, url);
  }
}
