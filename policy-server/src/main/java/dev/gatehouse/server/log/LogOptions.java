package dev.gatehouse.server.log;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where the decision log is stored, and how it is batched and trimmed.
 *
 * @param dataDir the directory of {@code decisions.db}, created when missing; null for a log on
 *     PostgreSQL
 * @param postgres the PostgreSQL database of the log, shared by every replica; null for SQLite
 * @param queueCapacity how many decisions may wait for a commit before appends are refused
 * @param maxBatch the most decisions written in one transaction
 * @param maxAge delete decisions logged longer ago than this, or null to keep them by age
 * @param maxRows keep at most this many of the newest decisions, or null for no limit
 * @param retentionInterval how often retention runs when {@code maxAge} or {@code maxRows} is set
 * @param sync when a commit counts as written (SQLite; PostgreSQL commits are always synchronous)
 */
public record LogOptions(
    Path dataDir,
    PostgresUrl postgres,
    int queueCapacity,
    int maxBatch,
    Duration maxAge,
    Long maxRows,
    Duration retentionInterval,
    LogSync sync) {

  /** The default queue capacity. */
  public static final int DEFAULT_QUEUE_CAPACITY = 10_000;

  /** The default batch size: large enough to amortize an fsync, small enough for short transactions. */
  public static final int DEFAULT_MAX_BATCH = 512;

  public LogOptions {
    if ((dataDir == null) == (postgres == null)) {
      throw new IllegalArgumentException("a decision log is either in a data directory or on PostgreSQL");
    }
    Objects.requireNonNull(retentionInterval, "retentionInterval");
    Objects.requireNonNull(sync, "sync");
    if (queueCapacity < 1) {
      throw new IllegalArgumentException("queue capacity must be at least 1, got " + queueCapacity);
    }
    if (maxBatch < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, got " + maxBatch);
    }
    if (maxAge != null && (maxAge.isNegative() || maxAge.isZero())) {
      throw new IllegalArgumentException("maximum age must be positive, got " + maxAge);
    }
    if (maxRows != null && maxRows < 0) {
      throw new IllegalArgumentException("maximum row count must not be negative, got " + maxRows);
    }
    if (retentionInterval.isNegative() || retentionInterval.isZero()) {
      throw new IllegalArgumentException("retention interval must be positive, got " + retentionInterval);
    }
  }

  /**
   * Defaults: a queue of {@value #DEFAULT_QUEUE_CAPACITY}, no retention limits, checked every
   * minute, {@link LogSync#NORMAL}.
   */
  public static LogOptions defaults(Path dataDir) {
    return new LogOptions(Objects.requireNonNull(dataDir, "dataDir"), null, DEFAULT_QUEUE_CAPACITY, DEFAULT_MAX_BATCH,
        null, null, Duration.ofMinutes(1), LogSync.NORMAL);
  }

  /** The defaults of {@link #defaults(Path)}, for a log in the PostgreSQL database {@code url}. */
  public static LogOptions postgres(PostgresUrl url) {
    return new LogOptions(null, Objects.requireNonNull(url, "url"), DEFAULT_QUEUE_CAPACITY, DEFAULT_MAX_BATCH,
        null, null, Duration.ofMinutes(1), LogSync.NORMAL);
  }

  /** Whether the log is on PostgreSQL rather than in an SQLite file. */
  public boolean onPostgres() {
    return postgres != null;
  }

  /** The same options with another queue capacity. */
  public LogOptions withQueueCapacity(int queueCapacity) {
    return new LogOptions(dataDir, postgres, queueCapacity, maxBatch, maxAge, maxRows, retentionInterval, sync);
  }

  /** The same options with retention limits; either may be null. */
  public LogOptions withRetention(Duration maxAge, Long maxRows) {
    return new LogOptions(dataDir, postgres, queueCapacity, maxBatch, maxAge, maxRows, retentionInterval, sync);
  }

  /** The same options with another sync mode. */
  public LogOptions withSync(LogSync sync) {
    return new LogOptions(dataDir, postgres, queueCapacity, maxBatch, maxAge, maxRows, retentionInterval, sync);
  }

  /**
   * The database file of a log in a data directory.
   *
   * @throws IllegalStateException for a log on PostgreSQL, which has no file
   */
  public Path databaseFile() {
    if (dataDir == null) {
      throw new IllegalStateException("a decision log on PostgreSQL has no file");
    }
    return dataDir.resolve("decisions.db");
  }

  /** Where the log is, for messages: the file, or the database URL with any password hidden. */
  public String describe() {
    return postgres != null ? postgres.toString() : databaseFile().toString();
  }
}
