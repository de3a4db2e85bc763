package dev.gatehouse.server.log;

import java.nio.file.Files;

/**
 * Opens the decision log where {@link LogOptions} says it is: an SQLite file in the data directory
 * (the embedded default, one server) or a PostgreSQL database (replicas). Both are the same {@link
 * DecisionLog}; callers never need to know which.
 */
public final class DecisionLogs {

  private DecisionLogs() {}

  /**
   * Opens the log to write and read, creating and migrating it as needed.
   *
   * @throws LogUnavailableException when it cannot be created, opened or reached
   * @throws IllegalStateException when it has a newer schema than this version knows
   */
  public static DecisionLog open(LogOptions options) {
    return options.onPostgres() ? PostgresDecisionLog.open(options) : SqliteDecisionLog.open(options);
  }

  /**
   * Opens an existing log to read only, as it is: never created, migrated or changed.
   *
   * @throws LogUnavailableException when there is no log there, or it cannot be opened or reached
   * @throws IllegalStateException when it holds no decision log or one of a newer version
   */
  public static DecisionReader openReader(LogOptions options) {
    if (options.onPostgres()) {
      return PostgresDecisionLog.openReader(options.postgres());
    }
    if (!Files.isRegularFile(options.databaseFile())) {
      throw LogUnavailableException.unavailable("no decision log at " + options.databaseFile(), null);
    }
    return SqliteDecisionLog.openReadOnly(options.databaseFile());
  }
}
